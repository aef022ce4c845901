/**
 * Loaded into each test file's process by `npm test` (node --import, which the files inherit from tests/run.ts): when
 * the file's process ends, notes how long it ran, so the run can list its slowest files.
 */
import fs from 'node:fs'
import path from 'node:path'

const dir = process.env.BAUHAUS_TEST_TIMINGS
const file = process.argv[1] ?? ''
if (dir && file.endsWith('.test.ts')) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    const timing = {
      file: path.relative(process.cwd(), file),
      // Since the process started: loading the code counts too.
      wallMs: Math.round(performance.now()),
      cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    }
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(timing))
  })
}
