// sharp (libvips) is loaded with the first photo, not at start: most instances never see one and it costs ~30 MB.
const loadSharp = async () => (await import('sharp')).default
import { checkUpload } from '../../platform/files/files.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import type { ReportFieldError } from './reports.errors.js'

export const MAX_PHOTOS = 3
export const MAX_PHOTO_MB = 10
export const PHOTO_MAX_EDGE = 1600
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
// Decompression bombs: a small file that opens to a huge picture is refused before it is decoded.
const MAX_INPUT_PIXELS = 40_000_000

export interface PreparedPhoto {
  content: Buffer
  filename: string
}

/**
 * A photo as it is stored: judged by its content, re-encoded as JPEG of at most 1600 px on the long edge. Re-encoding
 * drops every metadata block (EXIF with GPS position, camera serial, XMP, IPTC) unless the reporter agreed to keep
 * them; the picture is turned upright first, since the orientation tag goes too.
 */
export async function preparePhoto(
  scanner: VirusScanner,
  photo: { content: Buffer; filename: string },
  index: number,
  keepMetadata: boolean,
): Promise<PreparedPhoto | ReportFieldError> {
  const name = photo.filename || `${index + 1}`
  const check = await checkUpload(scanner, photo.content, PHOTO_TYPES, MAX_PHOTO_MB)
  if (!check.ok) {
    // A virus or an unreachable scanner is said as such; the other refusals in the photo's own words.
    if (check.key.startsWith('files.error.')) return { field: 'photos', messageKey: check.key, params: { name } }
    const key =
      check.key === 'forms.error.fileTooLarge'
        ? 'reports.errors.photoTooLarge'
        : check.key === 'forms.error.fileEmpty'
          ? 'reports.errors.photoEmpty'
          : 'reports.errors.photoType'
    return { field: 'photos', messageKey: key, params: { name, max: MAX_PHOTO_MB } }
  }
  try {
    const sharp = await loadSharp()
    let image = sharp(photo.content, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
    if (keepMetadata) image = image.keepExif()
    const content = await image.jpeg({ quality: 82 }).toBuffer()
    return { content, filename: `foto-${index + 1}.jpg` }
  } catch {
    // The bytes looked like an image but do not decode (truncated, corrupt, too many pixels, a libpng or libjpeg
    // complaint): whatever sharp says about uploaded bytes, it is the reporter's to fix, never a server error.
    return { field: 'photos', messageKey: 'reports.errors.photoUnreadable', params: { name } }
  }
}

/** A stored photo as the public sees it: metadata removed again, whatever the reporter agreed to for the office. */
export async function publicPhoto(content: Buffer): Promise<Buffer> {
  const sharp = await loadSharp()
  return sharp(content).jpeg({ quality: 82 }).toBuffer()
}
