import { loadEnvFile } from '../env-file.ts'
import { runCli } from './program.ts'

// As for the server: ./.env fills in what the environment leaves unset.
try {
  loadEnvFile()
} catch (err) {
  process.stderr.write(`khabar: ${(err as Error).message}\n`)
  process.exit(1)
}
const code = await runCli(process.argv.slice(2), {
  out: line => { process.stdout.write(line + '\n') },
  err: line => { process.stderr.write(line + '\n') },
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr
})
// `serve` keeps the process alive; everything else ends here.
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code
