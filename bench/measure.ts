/** Shared pieces of `npm run bench`: timing, percentiles and the markdown table. */

export interface Rate {
  perSecond: number
  p50: number
  p99: number
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

export const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6

/** Runs `task` for every item with `concurrency` at a time; returns items per second and latencies. */
export async function measure<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<Rate> {
  const latencies: number[] = []
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!
        const t0 = process.hrtime.bigint()
        await task(item)
        latencies.push(elapsedMs(t0))
      }
    }),
  )
  const seconds = elapsedMs(started) / 1000
  latencies.sort((a, b) => a - b)
  return { perSecond: items.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

/** Runs `task` `times` times one after another; returns the sorted durations in ms. */
export async function timeRepeated(times: number, task: () => Promise<unknown>): Promise<number[]> {
  const durations: number[] = []
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint()
    await task()
    durations.push(elapsedMs(t0))
  }
  return durations.sort((a, b) => a - b)
}

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n')
}

export const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`

/** A whole number from the environment, or the default; anything else stops the bench with the variable's name. */
export function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`)
  return value
}
