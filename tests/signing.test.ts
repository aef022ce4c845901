import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import forge from 'node-forge'
import { loadLetterhead, renderLetterPdf, type Letter } from '../src/platform/pdf/index.js'
import { pdfsig } from './support/pdf.js'
import {
  createDemoCredentials,
  createPdfSigner,
  loadPdfSigners,
  type PdfSigner,
  type SignatureInfo,
} from '../src/platform/signing/index.js'

// The signatures are checked with Debian's pdfsig (poppler-utils, on NSS; tests/support/pdf.ts), as a reader would check them.
const OPENSSL = '/usr/bin/openssl'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-signing-'))
after(() => fs.rmSync(tmp, { recursive: true, force: true }))

const shippedConfig = path.resolve('config/signing.yaml')
const letterhead = loadLetterhead(path.resolve('config/letterhead.yaml'))
const city = 'Stadt Dortmund'

function notice(officeName: string): Letter {
  return {
    locale: 'de',
    title: 'Bescheid',
    office: { name: officeName, address: ['Olpe 1', '44135 Dortmund'], phone: '0231 50-12345' },
    recipient: ['Erika Mustermann', 'Heidestraße 17', '51147 Köln'],
    date: new Date('2026-03-02T10:00:00Z'),
    references: [{ label: 'Aktenzeichen', value: '67/0815-2026' }],
    subject: 'Genehmigung zur Fällung von zwei Bäumen',
    body: [
      { kind: 'paragraph', text: 'Sehr geehrte Frau Mustermann,' },
      {
        kind: 'paragraph',
        text: 'nach § 4 der Baumschutzsatzung genehmigen wir die Fällung der zwei Birken auf Ihrem Grundstück.',
      },
      {
        kind: 'table',
        columns: [{ label: 'Baum' }, { label: 'Stammumfang', align: 'right' }],
        rows: Array.from({ length: 40 }, (_, i) => [`Birke ${i + 1}`, '120 cm']),
      },
      { kind: 'paragraph', text: 'Mit freundlichen Grüßen' },
    ],
  }
}

const info: SignatureInfo = {
  reason: 'Bescheid 67/0815-2026 über die Fällung von Bäumen',
  location: 'Dortmund',
  signerName: 'Stadt Dortmund – Grünflächenamt',
  contactInfo: 'gruenflaechenamt@stadt.example',
}

async function signedNotice(signer: PdfSigner, officeName = 'Grünflächenamt'): Promise<Buffer> {
  return signer.sign(await renderLetterPdf(notice(officeName), letterhead), info)
}

const demoSigners = () => loadPdfSigners({ file: shippedConfig, cityName: city, env: {} })

function byteRangeOf(pdf: Buffer): [number, number, number, number] {
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'))
  assert.ok(match, 'no /ByteRange')
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])]
}

/** The CMS signature in /Contents, without the zero padding of the placeholder. */
function cmsOf(pdf: Buffer): Buffer {
  const [, firstLength, secondStart] = byteRangeOf(pdf)
  return Buffer.from(pdf.subarray(firstLength + 1, secondStart - 1).toString('latin1'), 'hex')
}

/** A PDF text string from the signature dictionary: (ASCII) or <FEFF…> UTF-16BE hex. */
function signatureEntry(pdf: Buffer, key: string): string {
  const raw = pdf.toString('latin1')
  const dictionary = raw.slice(raw.lastIndexOf('/Type /Sig'))
  const match = new RegExp(`/${key} (?:<FEFF([0-9A-F]*)>|\\(([^)]*)\\))`).exec(dictionary)
  assert.ok(match, `no /${key} in the signature dictionary`)
  return match[1] !== undefined ? Buffer.from(match[1], 'hex').swap16().toString('utf16le') : match[2]
}

describe('signing PDF letters', () => {
  it('signs a letter so that pdfsig finds a valid PAdES signature of the office over the whole file', async () => {
    const signer = demoSigners().signerFor('gruenflaechenamt', 'Grünflächenamt')
    const signed = await signedNotice(signer)
    const report = await pdfsig(signed, 'signed.pdf', tmp)

    assert.match(report, /^ {2}- Signature Validation: Signature is Valid\.$/m, report)
    assert.match(report, /^ {2}- Signer Certificate Common Name: Stadt Dortmund – Grünflächenamt \(DEMO\)$/m, report)
    assert.match(report, /^ {2}- Signature Type: ETSI\.CAdES\.detached$/m, report)
    assert.match(report, /^ {2}- Signing Hash Algorithm: SHA-256$/m, report)
    assert.match(report, /^ {2}- Total document signed$/m, report)
    assert.match(report, /^ {2}- Signing Time: /m, report)
    // A self-signed demo certificate: the signature holds, the certificate is trusted by nobody.
    assert.match(report, /^ {2}- Certificate Validation: Certificate issuer is unknown\.$/m, report)

    assert.equal(signatureEntry(signed, 'Reason'), info.reason)
    assert.equal(signatureEntry(signed, 'Location'), 'Dortmund')
    assert.equal(signatureEntry(signed, 'Name'), 'Stadt Dortmund – Grünflächenamt')
    assert.equal(signatureEntry(signed, 'ContactInfo'), 'gruenflaechenamt@stadt.example')
    assert.match(signatureEntry(signed, 'M'), /^D:\d{14}Z$/)

    // PAdES B-B: the ESS signing-certificate-v2 attribute carries the certificate's SHA-256; no CMS signing-time
    // (EN 319 142-1 forbids it, the time is /M).
    const cms = cmsOf(signed)
    const certificateHash = Buffer.from(signer.certificate.fingerprintSha256.replace(/:/g, ''), 'hex')
    assert.ok(
      cms.includes(
        Buffer.concat([
          Buffer.from('060b2a864886f70d010910022f', 'hex'),
          Buffer.from('31283026302430220420', 'hex'),
          certificateHash,
        ]),
      ),
      'signing-certificate-v2 with the certificate hash',
    )
    assert.ok(!cms.includes(Buffer.from('06092a864886f70d010905', 'hex')), 'no signing-time attribute')

    // The letter is still the tagged letter, now with the signature field.
    const pdfinfo = execFileSync('pdfinfo', [path.join(tmp, 'signed.pdf')], { encoding: 'utf8' })
    assert.match(pdfinfo, /^Tagged:\s+yes$/m)
    assert.match(pdfinfo, /^Form:\s+AcroForm$/m)
    assert.match(pdfinfo, /^Pages:\s+2$/m)
  })

  it('describes the demo certificate: the office in the name, self-signed, a year valid', () => {
    const { certificate } = demoSigners().signerFor('gruenflaechenamt', 'Grünflächenamt')
    assert.equal(
      certificate.subject,
      'CN=Stadt Dortmund – Grünflächenamt (DEMO), OU=Grünflächenamt, O=Stadt Dortmund, C=DE',
    )
    assert.equal(certificate.issuer, certificate.subject)
    assert.equal(certificate.selfSigned, true)
    assert.match(certificate.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    const days = (certificate.notAfter.getTime() - Date.now()) / 86_400_000
    assert.ok(days > 360 && days <= 366, `valid for ${days} days`)
  })

  it('reports a digest mismatch when one byte of a page content stream changes', async () => {
    const signed = await signedNotice(demoSigners().signerFor('gruenflaechenamt', 'Grünflächenamt'))
    const [, firstLength] = byteRangeOf(signed)
    const stream = signed.indexOf('stream\n', 0, 'latin1')
    assert.ok(stream > 0 && stream < firstLength, 'a content stream inside the first signed range')
    const tampered = Buffer.from(signed)
    tampered[stream + 20] ^= 0x01

    const report = await pdfsig(tampered, 'tampered-stream.pdf', tmp)
    assert.doesNotMatch(report, /Signature is Valid/, report)
    assert.match(report, /^ {2}- Signature Validation: Digest Mismatch\.$/m, report)
  })

  it('reports a digest mismatch when the signing time after the signature value changes', async () => {
    const signed = await signedNotice(demoSigners().signerFor('gruenflaechenamt', 'Grünflächenamt'))
    const [, , secondStart] = byteRangeOf(signed)
    const time = signed.indexOf('/M (D:', secondStart, 'latin1')
    assert.ok(time > secondStart, '/M lies in the second signed range')
    const tampered = Buffer.from(signed)
    // The year's last digit: 2026 → 2027.
    tampered[time + 9] ^= 0x01

    const report = await pdfsig(tampered, 'tampered-time.pdf', tmp)
    assert.doesNotMatch(report, /Signature is Valid/, report)
    assert.match(report, /^ {2}- Signature Validation: Digest Mismatch\.$/m, report)
  })

  it('shows that a change appended after signing is not covered by the signature', async () => {
    const signed = await signedNotice(demoSigners().signerFor('gruenflaechenamt', 'Grünflächenamt'))
    const changed = appendInfoUpdate(signed, 'Bescheid (geändert)')
    // The appended update takes effect in a reader…
    fs.writeFileSync(path.join(tmp, 'appended.pdf'), changed)
    assert.match(
      execFileSync('pdfinfo', [path.join(tmp, 'appended.pdf')], { encoding: 'utf8' }),
      /^Title:\s+Bescheid \(geändert\)$/m,
    )

    // …and pdfsig says the signature no longer covers the whole file.
    const report = await pdfsig(changed, 'appended.pdf', tmp)
    assert.match(report, /^ {2}- Not total document signed$/m, report)
    assert.doesNotMatch(report, /^ {2}- Total document signed$/m, report)
  })

  it('gives every office its own demo certificate, made once per process', () => {
    const signers = demoSigners()
    const ordnungsamt = signers.signerFor('ordnungsamt', 'Ordnungsamt')
    const buergerdienste = signers.signerFor('buergerdienste', 'Bürgerdienste')
    assert.notEqual(ordnungsamt.certificate.fingerprintSha256, buergerdienste.certificate.fingerprintSha256)
    assert.match(ordnungsamt.certificate.subject, /^CN=Stadt Dortmund – Ordnungsamt \(DEMO\),/)
    assert.match(buergerdienste.certificate.subject, /^CN=Stadt Dortmund – Bürgerdienste \(DEMO\),/)
    assert.equal(signers.signerFor('ordnungsamt', 'Ordnungsamt'), ordnungsamt)
    assert.equal(
      demoSigners().signerFor('ordnungsamt', 'Ordnungsamt').certificate.fingerprintSha256,
      ordnungsamt.certificate.fingerprintSha256,
    )
    assert.equal(signers.demo, true)
  })

  it('refuses to sign once the certificate has expired, even in a process started before', async () => {
    const signer = createPdfSigner(createDemoCredentials(city, 'Jugendamt'), {
      now: () => new Date(Date.now() + 400 * 86_400_000),
    })
    await assert.rejects(
      signedNotice(signer, 'Jugendamt'),
      /Signing certificate "CN=Stadt Dortmund – Jugendamt \(DEMO\), .*" expired on/,
    )
  })

  it('makes demo certificates without a configuration file outside production', () => {
    const signers = loadPdfSigners({ file: '', cityName: city, env: {} })
    assert.equal(signers.demo, true)
    assert.match(
      signers.signerFor('tierheim', 'Tierheim Dortmund').certificate.subject,
      /^CN=Stadt Dortmund – Tierheim Dortmund \(DEMO\),/,
    )
  })
})

describe("signing with the offices' PKCS#12 certificates", () => {
  const ca = makeCertificate({ commonName: 'Stadt Dortmund Issuing CA', ca: true })
  const cityCertificate = makeCertificate({ commonName: 'Stadt Dortmund', issuer: ca })
  const ordnungsamtCertificate = makeCertificate({ commonName: 'Stadt Dortmund – Ordnungsamt' })
  writeP12('stadt.p12', cityCertificate, 'city-secret', [ca])
  writeP12('ordnungsamt.p12', ordnungsamtCertificate, 'ordnungsamt-secret')
  const env = {
    SIGNING_P12_PASSPHRASE: 'city-secret',
    SIGNING_P12_PASSPHRASE_ORDNUNGSAMT: 'ordnungsamt-secret',
    NODE_ENV: 'production',
  }
  const validConfig = [
    'default:',
    '  p12File: stadt.p12',
    '  passphraseEnv: SIGNING_P12_PASSPHRASE',
    'offices:',
    '  ordnungsamt:',
    '    p12File: ordnungsamt.p12',
    '    passphraseEnv: SIGNING_P12_PASSPHRASE_ORDNUNGSAMT',
  ].join('\n')

  it("signs with the office's own certificate, and with the default one for other offices, chain included", async () => {
    const signers = loadPdfSigners({ file: writeConfig('valid.yaml', validConfig), cityName: city, env })
    assert.equal(signers.demo, false)
    const ordnungsamt = signers.signerFor('ordnungsamt', 'Ordnungsamt')
    const umweltamt = signers.signerFor('umweltamt', 'Umweltamt')
    assert.equal(ordnungsamt.certificate.fingerprintSha256, fingerprintOf(ordnungsamtCertificate.cert))
    assert.equal(umweltamt.certificate.fingerprintSha256, fingerprintOf(cityCertificate.cert))
    assert.equal(umweltamt.certificate.issuer, 'CN=Stadt Dortmund Issuing CA, O=Stadt Dortmund, C=DE')
    assert.equal(umweltamt.certificate.selfSigned, false)
    assert.equal(ordnungsamt.certificate.selfSigned, true)

    const ownReport = await pdfsig(await signedNotice(ordnungsamt, 'Ordnungsamt'), 'p12-ordnungsamt.pdf', tmp)
    assert.match(ownReport, /^ {2}- Signer Certificate Common Name: Stadt Dortmund – Ordnungsamt$/m, ownReport)
    assert.match(ownReport, /^ {2}- Signature Validation: Signature is Valid\.$/m, ownReport)

    const defaultReport = await pdfsig(await signedNotice(umweltamt, 'Umweltamt'), 'p12-default.pdf', tmp)
    assert.match(defaultReport, /^ {2}- Signer Certificate Common Name: Stadt Dortmund$/m, defaultReport)
    assert.match(defaultReport, /^ {2}- Signature Validation: Signature is Valid\.$/m, defaultReport)
    assert.match(defaultReport, /^ {2}- Signature Type: ETSI\.CAdES\.detached$/m, defaultReport)
  })

  it('reads PKCS#12 files as OpenSSL 3 makes them (AES-256, PBKDF2, SHA-256 MAC), with an RSA or an ECDSA key', async () => {
    if (!fs.existsSync(OPENSSL)) assert.fail(`${OPENSSL} is missing: install openssl, as .ci/run does`)
    const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: tmp, stdio: 'pipe' })
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-sha256',
      '-nodes',
      '-utf8',
      '-days',
      '30',
      '-keyout',
      'umweltamt.key',
      '-out',
      'umweltamt.crt',
      '-subj',
      '/C=DE/O=Stadt Dortmund/CN=Stadt Dortmund – Umweltamt',
    )
    openssl(
      'pkcs12',
      '-export',
      '-inkey',
      'umweltamt.key',
      '-in',
      'umweltamt.crt',
      '-out',
      'umweltamt.p12',
      '-passout',
      'pass:umwelt-secret',
    )
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-sha256',
      '-nodes',
      '-days',
      '30',
      '-keyout',
      'ec.key',
      '-out',
      'ec.crt',
      '-subj',
      '/C=DE/O=Stadt Dortmund/CN=Stadt Dortmund ECDSA',
    )
    openssl('pkcs12', '-export', '-inkey', 'ec.key', '-in', 'ec.crt', '-out', 'ec.p12', '-passout', 'pass:ec-secret')
    const file = writeConfig(
      'openssl.yaml',
      [
        'default: { p12File: ec.p12, passphraseEnv: EC_PASSPHRASE }',
        'offices:',
        '  umweltamt: { p12File: umweltamt.p12, passphraseEnv: UMWELT_PASSPHRASE }',
      ].join('\n'),
    )
    const signers = loadPdfSigners({
      file,
      cityName: city,
      env: { EC_PASSPHRASE: 'ec-secret', UMWELT_PASSPHRASE: 'umwelt-secret' },
    })
    for (const [officeId, commonName] of [
      ['umweltamt', 'Stadt Dortmund – Umweltamt'],
      ['tiefbauamt', 'Stadt Dortmund ECDSA'],
    ]) {
      const report = await pdfsig(
        await signedNotice(signers.signerFor(officeId, officeId)),
        `openssl-${officeId}.pdf`,
        tmp,
      )
      assert.match(report, new RegExp(`^ {2}- Signer Certificate Common Name: ${commonName}$`, 'm'), report)
      assert.match(report, /^ {2}- Signature Validation: Signature is Valid\.$/m, report)
    }
  })

  it('names the file, the path and the variable when a passphrase variable is not set', () => {
    const file = writeConfig('no-passphrase.yaml', validConfig)
    const { SIGNING_P12_PASSPHRASE_ORDNUNGSAMT: _, ...withoutOffice } = env
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env: withoutOffice }),
      (error: Error) => {
        assert.ok(
          error.message.includes(
            `${file}: /offices/ordnungsamt/passphraseEnv: environment variable SIGNING_P12_PASSPHRASE_ORDNUNGSAMT is not set`,
          ),
          error.message,
        )
        return true
      },
    )
  })

  it('names the file, the path and the P12 when the passphrase is wrong', () => {
    const file = writeConfig('wrong-passphrase.yaml', validConfig)
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env: { ...env, SIGNING_P12_PASSPHRASE: 'not-the-secret' } }),
      (error: Error) => {
        assert.ok(
          error.message.includes(
            `${file}: /default/p12File: ${path.join(tmp, 'stadt.p12')} with the passphrase from SIGNING_P12_PASSPHRASE: wrong passphrase`,
          ),
          error.message,
        )
        return true
      },
    )
  })

  it('names the file, the path and the P12 that cannot be read', () => {
    const file = writeConfig('missing-p12.yaml', validConfig.replace('ordnungsamt.p12', 'ordnungsmat.p12'))
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env }),
      (error: Error) => {
        assert.ok(
          error.message.includes(
            `${file}: /offices/ordnungsamt/p12File: cannot read ${path.join(tmp, 'ordnungsmat.p12')} (ENOENT`,
          ),
          error.message,
        )
        return true
      },
    )
  })

  it('names the file, the path and the date of an expired certificate', () => {
    writeP12(
      'expired.p12',
      makeCertificate({ commonName: 'Stadt Dortmund – Jugendamt', notAfter: new Date('2025-12-31T23:00:00Z') }),
      'jugend-secret',
    )
    const file = writeConfig(
      'expired.yaml',
      `${validConfig}\n  jugendamt:\n    p12File: expired.p12\n    passphraseEnv: JUGEND_PASSPHRASE\n`,
    )
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env: { ...env, JUGEND_PASSPHRASE: 'jugend-secret' } }),
      (error: Error) => {
        assert.ok(
          error.message.includes(
            `${file}: /offices/jugendamt/p12File: ${path.join(tmp, 'expired.p12')} with the passphrase from JUGEND_PASSPHRASE: the certificate "CN=Stadt Dortmund – Jugendamt, O=Stadt Dortmund, C=DE" expired on 2025-12-31T23:00:00.000Z`,
          ),
          error.message,
        )
        return true
      },
    )
  })

  it('names the file and the path of an unknown key', () => {
    const file = writeConfig(
      'wrong-key.yaml',
      validConfig.replace(
        '    passphraseEnv: SIGNING_P12_PASSPHRASE_ORDNUNGSAMT',
        '    passphrase: ordnungsamt-secret',
      ),
    )
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env }),
      (error: Error) => {
        assert.ok(
          error.message.includes(`${file}: /offices/ordnungsamt/passphrase: Unexpected property`),
          error.message,
        )
        assert.ok(
          error.message.includes(`${file}: /offices/ordnungsamt/passphraseEnv: Expected required property`),
          error.message,
        )
        return true
      },
    )
    const topLevel = writeConfig(
      'wrong-top-key.yaml',
      `defualt:\n  p12File: stadt.p12\n  passphraseEnv: SIGNING_P12_PASSPHRASE\n`,
    )
    assert.throws(
      () => loadPdfSigners({ file: topLevel, cityName: city, env }),
      (error: Error) => {
        assert.ok(error.message.includes(`${topLevel}: /defualt: Unexpected property`), error.message)
        return true
      },
    )
  })

  it('refuses an entry for an office that does not exist', () => {
    const file = writeConfig('unknown-office.yaml', validConfig.replace('  ordnungsamt:', '  ordnungsmat:'))
    assert.throws(
      () => loadPdfSigners({ file, cityName: city, env, officeIds: ['ordnungsamt', 'umweltamt'] }),
      (error: Error) => {
        assert.ok(error.message.includes(`${file}: /offices/ordnungsmat: no office has this id`), error.message)
        return true
      },
    )
  })

  it('refuses demo certificates in production, and demo next to real certificates', () => {
    assert.throws(
      () => loadPdfSigners({ file: shippedConfig, cityName: city, env: { NODE_ENV: 'production' } }),
      (error: Error) => {
        assert.ok(
          error.message.includes(`${shippedConfig}: /demo: demo certificates are refused with NODE_ENV=production`),
          error.message,
        )
        return true
      },
    )
    assert.throws(
      () => loadPdfSigners({ file: '', cityName: city, env: { NODE_ENV: 'production' } }),
      /SIGNING_CONFIG_FILE: empty, which means demo signing certificates, refused with NODE_ENV=production/,
    )
    const both = writeConfig('both.yaml', `demo: true\n${validConfig}`)
    assert.throws(
      () => loadPdfSigners({ file: both, cityName: city, env: {} }),
      new RegExp(`${escapeRegExp(both)}: /demo: "demo: true" cannot be combined`),
    )
    const neither = writeConfig('neither.yaml', 'offices: {}\n')
    assert.throws(
      () => loadPdfSigners({ file: neither, cityName: city, env: {} }),
      new RegExp(`${escapeRegExp(neither)}: /default: required`),
    )
  })

  function writeConfig(name: string, text: string): string {
    const file = path.join(tmp, name)
    fs.writeFileSync(file, text)
    return file
  }
})

interface TestCertificate {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

function makeCertificate({
  commonName,
  ca = false,
  issuer,
  notAfter,
}: {
  commonName: string
  ca?: boolean
  issuer?: TestCertificate
  notAfter?: Date
}): TestCertificate {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = `01${crypto.randomBytes(8).toString('hex')}`
  cert.validity.notBefore = new Date((notAfter?.getTime() ?? Date.now()) - 400 * 86_400_000)
  cert.validity.notAfter = notAfter ?? new Date(Date.now() + 365 * 86_400_000)
  const name = (cn: string) =>
    [
      { shortName: 'C', value: 'DE' },
      { shortName: 'O', value: 'Stadt Dortmund' },
      { shortName: 'CN', value: cn, valueTagClass: forge.asn1.Type.UTF8 },
    ] as forge.pki.CertificateField[]
  cert.setSubject(name(commonName))
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : name(commonName))
  cert.setExtensions(
    ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true }],
  )
  cert.sign(issuer ? issuer.key : keys.privateKey, forge.md.sha256.create())
  return { cert, key: keys.privateKey }
}

function writeP12(name: string, { cert, key }: TestCertificate, passphrase: string, chain: TestCertificate[] = []) {
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert, ...chain.map(c => c.cert)], passphrase, { algorithm: 'aes256' })
  fs.writeFileSync(path.join(tmp, name), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'))
}

const fingerprintOf = (cert: forge.pki.Certificate) =>
  new crypto.X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'))
    .fingerprint256

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** An incremental update after the signature, as an editor would append it: a new document info dictionary. */
function appendInfoUpdate(pdf: Buffer, title: string): Buffer {
  const raw = pdf.toString('latin1')
  const trailer = raw.slice(raw.lastIndexOf('trailer'))
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1])
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1]
  const previousXref = Number(/startxref\s+(\d+)/.exec(trailer)?.[1])
  const object = `\n${size} 0 obj\n<< /Title <FEFF${Buffer.from(title, 'utf16le').swap16().toString('hex')}> >>\nendobj\n`
  const objectOffset = pdf.length + 1
  const xrefOffset = pdf.length + object.length
  const update =
    `${object}xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${previousXref} >>\nstartxref\n${xrefOffset}\n%%EOF\n`
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')])
}
