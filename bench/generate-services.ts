import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { seededRandom } from '../src/modules/triage/triage.model.js'

/**
 * A catalogue the size of LeiKa for `npm run bench`: generated service definitions (subjects × actions ×
 * variants, titles, summaries and keywords in German and English) in a temporary directory, never in services/.
 * Every file passes the real schema; the same count gives the same files in every run.
 */

interface Subject {
  id: string
  de: string
  en: string
  office: string
  situation: string
  keywordsDe: string[]
  keywordsEn: string[]
}
interface Action {
  id: string
  de: string
  en: string
  keywordsDe: string[]
  keywordsEn: string[]
}
interface Variant {
  id: string
  de: string
  en: string
}

const SUBJECTS: Subject[] = [
  {
    id: 'hund',
    de: 'Hund',
    en: 'Dog',
    office: 'stadtkasse-steueramt',
    situation: 'animals',
    keywordsDe: ['Hundesteuer', 'Hundehaltung', 'Hundemarke'],
    keywordsEn: ['dog tax', 'dog licence', 'dog tag'],
  },
  {
    id: 'gewerbe',
    de: 'Gewerbe',
    en: 'Business',
    office: 'ordnungsamt',
    situation: 'business',
    keywordsDe: ['Gewerbeschein', 'Gewerbeanzeige', 'Selbstständigkeit'],
    keywordsEn: ['trade licence', 'business registration', 'self-employment'],
  },
  {
    id: 'wohnsitz',
    de: 'Wohnsitz',
    en: 'Residence',
    office: 'buergerdienste',
    situation: 'moving',
    keywordsDe: ['Umzug', 'Meldeadresse', 'Wohnung', 'umziehen'],
    keywordsEn: ['change of address', 'moving house', 'home address'],
  },
  {
    id: 'fuehrerschein',
    de: 'Führerschein',
    en: 'Driving licence',
    office: 'strassenverkehrsamt',
    situation: 'vehicle',
    keywordsDe: ['Fahrerlaubnis', 'Fuehrerschein', 'Fahrschule'],
    keywordsEn: ['driver licence', 'driving permit'],
  },
  {
    id: 'parkausweis',
    de: 'Parkausweis',
    en: 'Parking permit',
    office: 'strassenverkehrsamt',
    situation: 'vehicle',
    keywordsDe: ['Bewohnerparken', 'Parkerlaubnis', 'Anwohnerparken'],
    keywordsEn: ['residents parking', 'parking badge'],
  },
  {
    id: 'sondernutzung',
    de: 'Sondernutzung',
    en: 'Special use of public roads',
    office: 'tiefbauamt',
    situation: 'business',
    keywordsDe: ['Straßennutzung', 'Gehweg', 'Außengastronomie'],
    keywordsEn: ['street use', 'pavement', 'outdoor seating'],
  },
  {
    id: 'baugenehmigung',
    de: 'Baugenehmigung',
    en: 'Building permit',
    office: 'bauordnungsamt',
    situation: 'building',
    keywordsDe: ['Bauantrag', 'Bauvorhaben', 'Neubau'],
    keywordsEn: ['planning permission', 'construction permit'],
  },
  {
    id: 'personalausweis',
    de: 'Personalausweis',
    en: 'Identity card',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Ausweis', 'Perso', 'eID'],
    keywordsEn: ['ID card', 'national identity card'],
  },
  {
    id: 'reisepass',
    de: 'Reisepass',
    en: 'Passport',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Pass', 'Kinderreisepass'],
    keywordsEn: ['travel document', 'passport photo'],
  },
  {
    id: 'fahrzeug',
    de: 'Fahrzeugzulassung',
    en: 'Vehicle registration',
    office: 'strassenverkehrsamt',
    situation: 'vehicle',
    keywordsDe: ['Auto', 'Kfz', 'Kennzeichen', 'Zulassung'],
    keywordsEn: ['car', 'number plate', 'licence plate'],
  },
  {
    id: 'wohngeld',
    de: 'Wohngeld',
    en: 'Housing benefit',
    office: 'amt-fuer-wohnen',
    situation: 'money',
    keywordsDe: ['Mietzuschuss', 'Lastenzuschuss'],
    keywordsEn: ['rent allowance', 'housing allowance'],
  },
  {
    id: 'kita',
    de: 'Kitaplatz',
    en: 'Day-care place',
    office: 'jugendamt',
    situation: 'family',
    keywordsDe: ['Kindergarten', 'Kita', 'Kinderbetreuung'],
    keywordsEn: ['kindergarten', 'childcare', 'nursery'],
  },
  {
    id: 'elterngeld',
    de: 'Elterngeld',
    en: 'Parental allowance',
    office: 'jugendamt',
    situation: 'family',
    keywordsDe: ['Elternzeit', 'Geburt'],
    keywordsEn: ['parental leave', 'birth of a child'],
  },
  {
    id: 'unterhalt',
    de: 'Unterhaltsvorschuss',
    en: 'Child maintenance advance',
    office: 'jugendamt',
    situation: 'family',
    keywordsDe: ['Alleinerziehend', 'Unterhalt'],
    keywordsEn: ['single parent', 'maintenance'],
  },
  {
    id: 'baum',
    de: 'Baumfällung',
    en: 'Tree felling',
    office: 'gruenflaechenamt',
    situation: 'environment',
    keywordsDe: ['Baumschutzsatzung', 'Baum fällen'],
    keywordsEn: ['cut down a tree', 'tree protection'],
  },
  {
    id: 'trinkwasser',
    de: 'Trinkwasseruntersuchung',
    en: 'Drinking water test',
    office: 'gesundheitsamt',
    situation: 'health',
    keywordsDe: ['Legionellen', 'Wasserprobe'],
    keywordsEn: ['legionella', 'water sample'],
  },
  {
    id: 'impfung',
    de: 'Impfbescheinigung',
    en: 'Vaccination certificate',
    office: 'gesundheitsamt',
    situation: 'health',
    keywordsDe: ['Impfpass', 'Impfung'],
    keywordsEn: ['vaccination record', 'immunisation'],
  },
  {
    id: 'sperrmuell',
    de: 'Sperrmüll',
    en: 'Bulky waste',
    office: 'edg',
    situation: 'environment',
    keywordsDe: ['Abfall', 'Müllabfuhr', 'Entsorgung'],
    keywordsEn: ['waste collection', 'rubbish', 'garbage'],
  },
  {
    id: 'muelltonne',
    de: 'Mülltonne',
    en: 'Waste bin',
    office: 'edg',
    situation: 'environment',
    keywordsDe: ['Restmüll', 'Biotonne', 'Papiertonne'],
    keywordsEn: ['bin', 'recycling bin', 'trash can'],
  },
  {
    id: 'fundtier',
    de: 'Fundtier',
    en: 'Found animal',
    office: 'tierheim',
    situation: 'animals',
    keywordsDe: ['Tierheim', 'entlaufen', 'Katze'],
    keywordsEn: ['animal shelter', 'lost pet', 'cat'],
  },
  {
    id: 'grundsteuer',
    de: 'Grundsteuer',
    en: 'Property tax',
    office: 'stadtkasse-steueramt',
    situation: 'money',
    keywordsDe: ['Grundbesitz', 'Steuerbescheid'],
    keywordsEn: ['land tax', 'tax assessment'],
  },
  {
    id: 'zweitwohnung',
    de: 'Zweitwohnungsteuer',
    en: 'Second home tax',
    office: 'stadtkasse-steueramt',
    situation: 'money',
    keywordsDe: ['Nebenwohnung', 'Zweitwohnsitz'],
    keywordsEn: ['secondary residence', 'holiday home'],
  },
  {
    id: 'fuehrungszeugnis',
    de: 'Führungszeugnis',
    en: 'Certificate of good conduct',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Polizeiliches Führungszeugnis', 'Fuehrungszeugnis'],
    keywordsEn: ['criminal record certificate', 'police clearance'],
  },
  {
    id: 'meldebescheinigung',
    de: 'Meldebescheinigung',
    en: 'Certificate of registration',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Wohnsitzbescheinigung', 'Melderegister'],
    keywordsEn: ['proof of address', 'proof of residence'],
  },
  {
    id: 'geburt',
    de: 'Geburtsurkunde',
    en: 'Birth certificate',
    office: 'buergerdienste',
    situation: 'family',
    keywordsDe: ['Standesamt', 'Geburt', 'Urkunde'],
    keywordsEn: ['registry office', 'birth'],
  },
  {
    id: 'ehe',
    de: 'Eheschließung',
    en: 'Marriage',
    office: 'buergerdienste',
    situation: 'family',
    keywordsDe: ['Heirat', 'Hochzeit', 'Standesamt', 'Trauung'],
    keywordsEn: ['wedding', 'civil marriage'],
  },
  {
    id: 'sterbefall',
    de: 'Sterbeurkunde',
    en: 'Death certificate',
    office: 'buergerdienste',
    situation: 'family',
    keywordsDe: ['Todesfall', 'Bestattung'],
    keywordsEn: ['death', 'funeral'],
  },
  {
    id: 'einbuergerung',
    de: 'Einbürgerung',
    en: 'Naturalisation',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Staatsangehörigkeit', 'Einbuergerung'],
    keywordsEn: ['citizenship', 'nationality'],
  },
  {
    id: 'aufenthalt',
    de: 'Aufenthaltstitel',
    en: 'Residence permit',
    office: 'buergerdienste',
    situation: 'documents',
    keywordsDe: ['Visum', 'Niederlassungserlaubnis', 'Blaue Karte'],
    keywordsEn: ['visa', 'settlement permit', 'blue card'],
  },
  {
    id: 'wochenmarkt',
    de: 'Wochenmarktstand',
    en: 'Market stall',
    office: 'ordnungsamt',
    situation: 'business',
    keywordsDe: ['Markt', 'Standplatz', 'Markthändler'],
    keywordsEn: ['weekly market', 'market trader'],
  },
  {
    id: 'gaststaette',
    de: 'Gaststättenerlaubnis',
    en: 'Restaurant licence',
    office: 'ordnungsamt',
    situation: 'business',
    keywordsDe: ['Gastronomie', 'Kneipe', 'Ausschank'],
    keywordsEn: ['bar licence', 'alcohol licence', 'pub'],
  },
  {
    id: 'veranstaltung',
    de: 'Veranstaltung',
    en: 'Public event',
    office: 'ordnungsamt',
    situation: 'business',
    keywordsDe: ['Straßenfest', 'Fest', 'Konzert'],
    keywordsEn: ['street party', 'festival', 'concert'],
  },
  {
    id: 'laerm',
    de: 'Lärmschutz',
    en: 'Noise protection',
    office: 'umweltamt',
    situation: 'environment',
    keywordsDe: ['Lärm', 'Ruhestörung', 'Baulärm'],
    keywordsEn: ['noise', 'noise complaint'],
  },
  {
    id: 'feuerwerk',
    de: 'Feuerwerk',
    en: 'Fireworks',
    office: 'feuerwehr',
    situation: 'business',
    keywordsDe: ['Pyrotechnik', 'Silvester'],
    keywordsEn: ['pyrotechnics', 'new year'],
  },
  {
    id: 'brandschutz',
    de: 'Brandschutz',
    en: 'Fire safety',
    office: 'feuerwehr',
    situation: 'building',
    keywordsDe: ['Brandschau', 'Rauchmelder', 'Feuerwehr'],
    keywordsEn: ['fire inspection', 'smoke detector'],
  },
  {
    id: 'grundsicherung',
    de: 'Grundsicherung',
    en: 'Basic income support',
    office: 'sozialamt',
    situation: 'money',
    keywordsDe: ['Sozialhilfe', 'Rente', 'Bürgergeld'],
    keywordsEn: ['social assistance', 'welfare'],
  },
  {
    id: 'pflege',
    de: 'Hilfe zur Pflege',
    en: 'Care assistance',
    office: 'sozialamt',
    situation: 'health',
    keywordsDe: ['Pflegeheim', 'Pflegegeld'],
    keywordsEn: ['nursing home', 'care allowance'],
  },
  {
    id: 'schwerbehinderung',
    de: 'Schwerbehindertenausweis',
    en: 'Disability card',
    office: 'sozialamt',
    situation: 'health',
    keywordsDe: ['Behinderung', 'Merkzeichen'],
    keywordsEn: ['disability', 'severely disabled'],
  },
  {
    id: 'wohnberechtigung',
    de: 'Wohnberechtigungsschein',
    en: 'Housing entitlement certificate',
    office: 'amt-fuer-wohnen',
    situation: 'moving',
    keywordsDe: ['WBS', 'Sozialwohnung'],
    keywordsEn: ['social housing', 'council flat'],
  },
  {
    id: 'abriss',
    de: 'Abbruchgenehmigung',
    en: 'Demolition permit',
    office: 'bauordnungsamt',
    situation: 'building',
    keywordsDe: ['Abriss', 'Rückbau'],
    keywordsEn: ['demolition', 'tear down'],
  },
  {
    id: 'solar',
    de: 'Solaranlage',
    en: 'Solar panels',
    office: 'umweltamt',
    situation: 'building',
    keywordsDe: ['Photovoltaik', 'PV-Anlage', 'Balkonkraftwerk'],
    keywordsEn: ['photovoltaics', 'solar power'],
  },
  {
    id: 'kampfmittel',
    de: 'Kampfmittelauskunft',
    en: 'Unexploded ordnance check',
    office: 'ordnungsamt',
    situation: 'building',
    keywordsDe: ['Blindgänger', 'Luftbild', 'Bombe'],
    keywordsEn: ['bomb', 'aerial photograph'],
  },
  {
    id: 'schwertransport',
    de: 'Schwertransport',
    en: 'Heavy haulage',
    office: 'strassenverkehrsamt',
    situation: 'vehicle',
    keywordsDe: ['Großraumtransport', 'Ausnahmegenehmigung'],
    keywordsEn: ['oversize load', 'abnormal load'],
  },
  {
    id: 'umzugsschild',
    de: 'Halteverbot für Umzug',
    en: 'No-parking zone for a move',
    office: 'strassenverkehrsamt',
    situation: 'moving',
    keywordsDe: ['Halteverbotszone', 'Umzugswagen', 'Schild'],
    keywordsEn: ['removal van', 'parking suspension'],
  },
  {
    id: 'schule',
    de: 'Schulanmeldung',
    en: 'School enrolment',
    office: 'jugendamt',
    situation: 'family',
    keywordsDe: ['Einschulung', 'Grundschule'],
    keywordsEn: ['school registration', 'primary school'],
  },
  {
    id: 'bafoeg',
    de: 'Ausbildungsförderung',
    en: 'Student grant',
    office: 'sozialamt',
    situation: 'money',
    keywordsDe: ['BAföG', 'Schüler-BAföG', 'Studium'],
    keywordsEn: ['BAfoeG', 'student finance'],
  },
  {
    id: 'fischerei',
    de: 'Fischereischein',
    en: 'Fishing licence',
    office: 'umweltamt',
    situation: 'environment',
    keywordsDe: ['Angeln', 'Angelschein'],
    keywordsEn: ['angling', 'fishing permit'],
  },
  {
    id: 'waffen',
    de: 'Waffenschein',
    en: 'Firearms licence',
    office: 'ordnungsamt',
    situation: 'documents',
    keywordsDe: ['Waffenbesitzkarte', 'Jagdschein'],
    keywordsEn: ['gun licence', 'hunting licence'],
  },
  {
    id: 'taxi',
    de: 'Taxikonzession',
    en: 'Taxi licence',
    office: 'strassenverkehrsamt',
    situation: 'business',
    keywordsDe: ['Personenbeförderung', 'Mietwagen'],
    keywordsEn: ['passenger transport', 'private hire'],
  },
  {
    id: 'spielplatz',
    de: 'Spielplatzpatenschaft',
    en: 'Playground sponsorship',
    office: 'gruenflaechenamt',
    situation: 'environment',
    keywordsDe: ['Spielplatz', 'Patenschaft', 'Grünfläche'],
    keywordsEn: ['playground', 'park'],
  },
]

const ACTIONS: Action[] = [
  {
    id: 'anmeldung',
    de: 'Anmeldung',
    en: 'registration',
    keywordsDe: ['anmelden', 'Erstanmeldung'],
    keywordsEn: ['register', 'sign up'],
  },
  {
    id: 'abmeldung',
    de: 'Abmeldung',
    en: 'deregistration',
    keywordsDe: ['abmelden', 'Kündigung'],
    keywordsEn: ['deregister', 'cancel'],
  },
  {
    id: 'ummeldung',
    de: 'Ummeldung',
    en: 'change of registration',
    keywordsDe: ['ummelden', 'Änderung'],
    keywordsEn: ['change', 'update details'],
  },
  {
    id: 'antrag',
    de: 'Antrag',
    en: 'application',
    keywordsDe: ['beantragen', 'Neuantrag'],
    keywordsEn: ['apply', 'request'],
  },
  {
    id: 'verlaengerung',
    de: 'Verlängerung',
    en: 'renewal',
    keywordsDe: ['verlängern', 'Folgeantrag'],
    keywordsEn: ['renew', 'extend'],
  },
  {
    id: 'ersatz',
    de: 'Ersatz',
    en: 'replacement',
    keywordsDe: ['verloren', 'gestohlen', 'Ersatzdokument'],
    keywordsEn: ['lost', 'stolen', 'replace'],
  },
  {
    id: 'aenderung',
    de: 'Änderung',
    en: 'amendment',
    keywordsDe: ['ändern', 'Namensänderung'],
    keywordsEn: ['amend', 'name change'],
  },
  {
    id: 'auskunft',
    de: 'Auskunft',
    en: 'information request',
    keywordsDe: ['Akteneinsicht', 'Auskunftsersuchen'],
    keywordsEn: ['inquiry', 'access to records'],
  },
  {
    id: 'befreiung',
    de: 'Befreiung',
    en: 'exemption',
    keywordsDe: ['Ermäßigung', 'befreien'],
    keywordsEn: ['reduction', 'waiver'],
  },
  {
    id: 'widerspruch',
    de: 'Widerspruch',
    en: 'objection',
    keywordsDe: ['Einspruch', 'Beschwerde'],
    keywordsEn: ['appeal', 'complaint'],
  },
  {
    id: 'bescheinigung',
    de: 'Bescheinigung',
    en: 'certificate',
    keywordsDe: ['Nachweis', 'Bestätigung'],
    keywordsEn: ['proof', 'confirmation'],
  },
  {
    id: 'erstattung',
    de: 'Erstattung',
    en: 'refund',
    keywordsDe: ['Rückerstattung', 'zurückzahlen'],
    keywordsEn: ['reimbursement', 'repayment'],
  },
  {
    id: 'genehmigung',
    de: 'Genehmigung',
    en: 'permit',
    keywordsDe: ['Erlaubnis', 'Zulassung'],
    keywordsEn: ['permission', 'approval'],
  },
  {
    id: 'termin',
    de: 'Terminvereinbarung',
    en: 'appointment',
    keywordsDe: ['Termin', 'Vorsprache'],
    keywordsEn: ['book an appointment', 'visit'],
  },
  {
    id: 'meldung',
    de: 'Meldung',
    en: 'notification',
    keywordsDe: ['melden', 'Anzeige'],
    keywordsEn: ['notify', 'report'],
  },
]

const VARIANTS: Variant[] = [
  { id: 'standard', de: '', en: '' },
  { id: 'unternehmen', de: 'für Unternehmen', en: 'for businesses' },
  { id: 'minderjaehrige', de: 'für Minderjährige', en: 'for minors' },
  { id: 'ausland', de: 'bei Wohnsitz im Ausland', en: 'when living abroad' },
  { id: 'eilverfahren', de: 'im Eilverfahren', en: 'express procedure' },
  { id: 'vertretung', de: 'durch Bevollmächtigte', en: 'by an authorised representative' },
  { id: 'verein', de: 'für Vereine', en: 'for associations' },
  { id: 'befristet', de: 'befristet', en: 'temporary' },
  { id: 'schriftlich', de: 'auf schriftlichem Weg', en: 'in writing' },
  { id: 'gebuehrenfrei', de: 'gebührenfrei', en: 'free of charge' },
]

/** Districts of Dortmund: spread identical subject/action/variant triples into distinct services. */
const DISTRICTS = [
  'Innenstadt',
  'Eving',
  'Scharnhorst',
  'Brackel',
  'Aplerbeck',
  'Hörde',
  'Hombruch',
  'Lütgendortmund',
  'Huckarde',
  'Mengede',
]

const OFFICES = [
  'buergerdienste',
  'amt-fuer-wohnen',
  'jugendamt',
  'strassenverkehrsamt',
  'ordnungsamt',
  'umweltamt',
  'gruenflaechenamt',
  'gesundheitsamt',
  'bauordnungsamt',
  'stadtkasse-steueramt',
  'tiefbauamt',
  'feuerwehr',
  'sozialamt',
  'tierheim',
  'edg',
]

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

export interface GeneratedCatalogue {
  dir: string
  count: number
  seconds: number
  remove(): void
}

/** The n-th generated definition: every subject × action × variant first, then the same again per district. */
function definition(n: number, random: () => number) {
  const combos = SUBJECTS.length * ACTIONS.length * VARIANTS.length
  const subject = SUBJECTS[n % SUBJECTS.length]!
  const action = ACTIONS[Math.floor(n / SUBJECTS.length) % ACTIONS.length]!
  const variant = VARIANTS[Math.floor(n / (SUBJECTS.length * ACTIONS.length)) % VARIANTS.length]!
  const round = Math.floor(n / combos)
  const district = round > 0 ? DISTRICTS[(round - 1) % DISTRICTS.length]! : undefined
  const qualifierDe = [variant.de, district ? `(Bezirk ${district})` : ''].filter(Boolean).join(' ')
  const qualifierEn = [variant.en, district ? `(${district} district)` : ''].filter(Boolean).join(' ')
  const titleDe = [`${subject.de} – ${action.de}`, qualifierDe].filter(Boolean).join(' ')
  const titleEn = [`${subject.en}: ${action.en}`, qualifierEn].filter(Boolean).join(' ')
  // Mostly the subject's own office; some services are run by another office, as in a real catalogue.
  const office = random() < 0.8 ? subject.office : OFFICES[Math.floor(random() * OFFICES.length)]!
  const pick = <T>(list: T[], k: number) => [...list].sort(() => random() - 0.5).slice(0, k)
  return {
    version: 1,
    id: slug(['gen', subject.id, action.id, variant.id, district ?? ''].filter(Boolean).join('-')),
    title: { de: titleDe, en: titleEn },
    summary: {
      de: `${action.de} für ${subject.de}${qualifierDe ? ` ${qualifierDe}` : ''}: Sie stellen den Antrag online, laden die Nachweise hoch und erhalten die Entscheidung in Ihr Postfach. Zuständig ist die Stadt Dortmund.`,
      en: `${action.en[0]!.toUpperCase()}${action.en.slice(1)} for ${subject.en.toLowerCase()}${qualifierEn ? ` ${qualifierEn}` : ''}: apply online, upload your documents and receive the decision in your postbox. The City of Dortmund is responsible.`,
    },
    keywords: {
      de: [...pick(subject.keywordsDe, 2), ...pick(action.keywordsDe, 1), `${subject.de} ${action.de}`],
      en: [...pick(subject.keywordsEn, 2), ...pick(action.keywordsEn, 1), `${subject.en.toLowerCase()} ${action.en}`],
    },
    office,
    audience:
      variant.id === 'unternehmen' || variant.id === 'verein'
        ? ['business']
        : random() < 0.3
          ? ['citizen', 'business']
          : ['citizen'],
    lifeSituations: [subject.situation],
    loginRequired: random() < 0.5,
    requirements: {
      de: ['Sie sind in Dortmund gemeldet oder haben hier Ihren Sitz.'],
      en: ['You live in Dortmund or your organisation is based here.'],
    },
    duration: { de: 'In der Regel zwei Wochen.', en: 'Usually two weeks.' },
    documents: [],
    form: {
      pages: [
        {
          id: 'applicant',
          title: { de: 'Antragstellende Person', en: 'Applicant' },
          fields: [
            {
              id: 'familyName',
              type: 'text',
              label: { de: 'Familienname', en: 'Family name' },
              required: true,
              prefill: 'familyName',
              maxLength: 120,
            },
            {
              id: 'givenName',
              type: 'text',
              label: { de: 'Vornamen', en: 'Given names' },
              required: true,
              prefill: 'givenName',
              maxLength: 120,
            },
            {
              id: 'email',
              type: 'email',
              label: { de: 'E-Mail-Adresse', en: 'E-mail address' },
              required: true,
              prefill: 'email',
            },
            {
              id: 'details',
              type: 'textarea',
              label: { de: 'Ihr Anliegen', en: 'Your request' },
              required: true,
              maxLength: 2000,
            },
          ],
        },
      ],
    },
    workflow: {
      initial: 'submitted',
      states: [
        { id: 'submitted', label: { de: 'Eingegangen', en: 'Received' } },
        { id: 'approved', label: { de: 'Erledigt', en: 'Done' }, final: true, outcome: 'approved' },
        { id: 'rejected', label: { de: 'Abgelehnt', en: 'Refused' }, final: true, outcome: 'rejected' },
      ],
      transitions: [
        {
          id: 'approve',
          from: ['submitted'],
          to: 'approved',
          label: { de: 'Erledigen', en: 'Complete' },
          roles: ['caseworker', 'team_lead'],
        },
        {
          id: 'reject',
          from: ['submitted'],
          to: 'rejected',
          label: { de: 'Ablehnen', en: 'Refuse' },
          roles: ['caseworker', 'team_lead'],
        },
      ],
    },
    processingDeadline: { value: 1 + Math.floor(random() * 3), unit: 'months' },
    retention: { years: 3 },
  }
}

/** Writes `count` definitions (and the offices) into a new temporary directory. */
export function generateServices(count: number, seed = 8): GeneratedCatalogue {
  const max = SUBJECTS.length * ACTIONS.length * VARIANTS.length * (DISTRICTS.length + 1)
  if (count > max) throw new Error(`at most ${max} services can be generated, asked for ${count}`)
  const t0 = process.hrtime.bigint()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-services-'))
  fs.copyFileSync(path.resolve('services/_offices.yaml'), path.join(dir, '_offices.yaml'))
  const random = seededRandom(seed)
  for (let n = 0; n < count; n++) {
    const def = definition(n, random)
    fs.writeFileSync(path.join(dir, `${def.id}.yaml`), stringify(def))
  }
  return {
    dir,
    count,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}
