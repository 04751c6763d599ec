import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestContext { teardown: (fn: () => unknown) => void }

// A fresh directory under the system's temporary one, removed when the test ends. Tap runs
// teardowns last registered first, so an app built after it is closed before it goes.
export function tempDir (t: TestContext, prefix = 'khabar-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
