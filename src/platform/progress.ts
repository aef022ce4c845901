/**
 * A progress bar for long command-line runs, on stderr so stdout stays the result. On a terminal it is redrawn
 * in place (at most ten times a second); in a log file or a pipe it writes one line every 10 %.
 *   [########------------] 42 %  420,000 / 1,000,000  38,000 cases/s  ETA 15 s
 */
export interface Progress {
  update(done: number): void
  finish(): void
}

export function progressBar(out: NodeJS.WritableStream & { isTTY?: boolean }, total: number, unit: string): Progress {
  const started = process.hrtime.bigint()
  let lastDraw = 0
  let lastDecile = -1
  let last = 0
  const line = (done: number) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const share = total > 0 ? done / total : 1
    const filled = Math.round(share * 20)
    const rate = seconds > 0 ? done / seconds : 0
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0
    return (
      `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(Math.floor(share * 100)).padStart(3)} %  ` +
      `${done.toLocaleString('en')} / ${total.toLocaleString('en')}  ${Math.round(rate).toLocaleString('en')} ${unit}/s  ETA ${eta} s`
    )
  }
  return {
    update(done) {
      last = done
      if (out.isTTY) {
        const now = Date.now()
        if (now - lastDraw < 100 && done < total) return
        lastDraw = now
        out.write(`\r${line(done)}`)
      } else {
        const decile = Math.floor((done / Math.max(1, total)) * 10)
        if (decile === lastDecile) return
        lastDecile = decile
        out.write(`${line(done)}\n`)
      }
    },
    finish() {
      if (out.isTTY) out.write(`\r${line(last)}\n`)
      else if (Math.floor((last / Math.max(1, total)) * 10) !== lastDecile) out.write(`${line(last)}\n`)
    },
  }
}
