import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SMTPServer } from 'smtp-server'
import nodemailer from 'nodemailer'
import { samplePdf, startTestPlatform, type TestPlatform } from './support/test-platform.js'
import { storeFile } from '../src/platform/files/files.js'
import { deliverOutbox, queueMail } from '../src/platform/mail/mail.js'

/** A real SMTP server on loopback that records what it receives and refuses one address. */
let platform: TestPlatform
let server: SMTPServer
const received: { to: string; data: string }[] = []
let port = 0

before(async () => {
  platform = await startTestPlatform()
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      callback(address.address.startsWith('refused@') ? new Error('mailbox unavailable') : undefined)
    },
    onData(stream, session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString()
      })
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map(r => r.address).join(','), data })
        callback()
      })
    },
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  port = (server.server.address() as { port: number }).port
})
after(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
  await platform.close()
})

describe('mail delivery over SMTP', () => {
  it('sends queued mails once, marks them sent, and keeps a refused one queued for the next round', async () => {
    const db = platform.database.db
    await queueMail(db, { to: 'lea@example.org', subject: 'Ihr Antrag DO-2026-000001', text: 'Guten Tag' })
    await queueMail(db, { to: 'refused@example.org', subject: 'Abgelehnt', text: 'x' })
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
    const first = await deliverOutbox(db, transport, 'Stadt Dortmund <noreply@stadt.example>')
    assert.deepEqual(first, { sent: 1, failed: 1 })
    assert.equal(received.length, 1)
    assert.equal(received[0]!.to, 'lea@example.org')
    assert.match(received[0]!.data, /Subject: Ihr Antrag DO-2026-000001/)
    const second = await deliverOutbox(db, transport, 'Stadt Dortmund <noreply@stadt.example>')
    assert.deepEqual(second, { sent: 0, failed: 1 }, 'the sent mail is not sent again; the refused one is retried')
    const unsent = await db.selectFrom('mail_outbox').select('recipient').where('sent_at', 'is', null).execute()
    assert.deepEqual(
      unsent.map(m => m.recipient),
      ['refused@example.org'],
    )
    transport.close()
  })

  it('sends stored files as attachments', async () => {
    const db = platform.database.db
    const file = await storeFile(db, {
      content: samplePdf,
      filename: 'Gebuehrenbescheid-GB-2026-TEST.pdf',
      mediaType: 'application/pdf',
    })
    await queueMail(db, {
      to: 'ohne.konto@example.org',
      subject: 'Gebührenbescheid',
      text: 'Anbei',
      fileIds: [file.fileId],
    })
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
    await deliverOutbox(db, transport, 'Stadt Dortmund <noreply@stadt.example>')
    transport.close()
    const mail = received.find(r => r.to === 'ohne.konto@example.org')
    assert.ok(mail)
    assert.match(mail.data, /Content-Type: application\/pdf; name=Gebuehrenbescheid-GB-2026-TEST\.pdf/)
    assert.match(mail.data, /Content-Disposition: attachment/)
    assert.ok(mail.data.includes(samplePdf.toString('base64').slice(0, 40)), 'the file content travels base64-encoded')
  })
})
