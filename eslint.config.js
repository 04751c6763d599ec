import neostandard from 'neostandard'

export default neostandard({
  ts: true,
  ignores: ['dist/**', 'coverage/**', '.tap/**', 'migrations/**', 'node_modules/**', 'scratch/**']
})
