/**
 * What people type into the catalogue search: 200 fixed queries for `npm run bench`, German and English, one and
 * several words, with the typos of real search logs ("Ummeldnug") and some that match no service at all.
 */
export const CATALOGUE_QUERIES: readonly string[] = [
  // German, one word
  'Ummeldung', 'Anmeldung', 'Abmeldung', 'Hundesteuer', 'Hund', 'Gewerbe', 'Gewerbeanmeldung', 'Wohnsitz', 'Führerschein', 'Parkausweis',
  'Sondernutzung', 'Baugenehmigung', 'Personalausweis', 'Reisepass', 'Wohngeld', 'Kita', 'Kindergarten', 'Elterngeld', 'Unterhaltsvorschuss', 'Baumfällung',
  'Trinkwasser', 'Impfpass', 'Sperrmüll', 'Mülltonne', 'Biotonne', 'Fundtier', 'Tierheim', 'Grundsteuer', 'Zweitwohnsitz', 'Führungszeugnis',
  'Meldebescheinigung', 'Geburtsurkunde', 'Heirat', 'Hochzeit', 'Sterbeurkunde', 'Einbürgerung', 'Visum', 'Wochenmarkt', 'Gaststätte', 'Straßenfest',
  'Lärm', 'Feuerwerk', 'Rauchmelder', 'Sozialhilfe', 'Pflegegeld', 'Schwerbehindertenausweis', 'WBS', 'Abriss', 'Photovoltaik', 'Blindgänger',
  'Schwertransport', 'Halteverbot', 'Einschulung', 'BAföG', 'Angelschein', 'Waffenschein', 'Taxi', 'Spielplatz', 'Verlängerung', 'Ersatz',
  'Widerspruch', 'Erstattung', 'Befreiung', 'Auskunft', 'Genehmigung', 'Termin', 'Bescheinigung', 'Antrag', 'umziehen', 'Kennzeichen',
  // German, several words
  'Hund anmelden', 'Hundesteuer abmelden', 'Gewerbe anmelden', 'Gewerbe abmelden', 'Wohnsitz ummelden', 'Führerschein verloren', 'Führerschein Ersatz', 'Parkausweis verlängern', 'Bewohnerparkausweis beantragen', 'Sondernutzung Gehweg',
  'Baugenehmigung beantragen', 'Personalausweis verloren', 'Reisepass Kind', 'Wohngeld Antrag', 'Kitaplatz beantragen', 'Elterngeld beantragen', 'Baum fällen', 'Sperrmüll anmelden', 'Mülltonne abmelden', 'Grundsteuer Widerspruch',
  'Zweitwohnungsteuer Befreiung', 'Führungszeugnis beantragen', 'Meldebescheinigung online', 'Standesamt Geburt', 'Aufenthaltstitel verlängern', 'Markt Standplatz', 'Außengastronomie Genehmigung', 'Veranstaltung anmelden', 'Hilfe zur Pflege', 'Schwerbehindertenausweis Verlängerung',
  'Halteverbot für Umzug', 'Kfz Zulassung', 'Auto abmelden', 'Gewerbe für Unternehmen', 'Anmeldung für Vereine', 'Antrag im Eilverfahren', 'Wohnsitz im Ausland', 'Ersatz Personalausweis gestohlen', 'Widerspruch gegen Steuerbescheid', 'Baugenehmigung Abriss Rückbau',
  // English
  'registration', 'change of address', 'register address', 'dog tax', 'register a dog', 'business registration', 'trade licence', 'driving licence', 'lost driving licence', 'parking permit',
  'residents parking', 'building permit', 'planning permission', 'identity card', 'passport', 'passport renewal', 'housing benefit', 'childcare', 'parental allowance', 'tree felling',
  'drinking water', 'bulky waste', 'waste bin', 'lost pet', 'property tax', 'second home tax', 'certificate of good conduct', 'proof of address', 'birth certificate', 'marriage',
  'death certificate', 'naturalisation', 'citizenship', 'residence permit', 'market stall', 'restaurant licence', 'street party', 'noise complaint', 'fireworks', 'smoke detector',
  'social assistance', 'disability card', 'social housing', 'demolition permit', 'solar panels', 'heavy haulage', 'removal van', 'school enrolment', 'student grant', 'fishing licence',
  // typos, German and English
  'Ummeldnug', 'Persnalausweis', 'Hundestuer', 'parkng permit', 'Fuehrerschein', 'Füherschein', 'Gewerbeanmeldnug', 'Baugenemigung', 'Meldebescheinigng', 'Wohngled',
  'Reisepas', 'Sperrmül', 'Einbürgrung', 'Kindergaten', 'Grundsteur', 'drivng licence', 'pasport', 'housng benefit', 'regstration', 'certifcate of registration',
  'Hundesteur anmelden', 'Wohnsiz ummelden', 'Sondernutzng', 'Parkausweiss', 'Führungszeugniss', 'Abmeldnug Gewerbe', 'bulky wast', 'propperty tax', 'residnce permit', 'buildng permit',
  // nothing to find
  'Raumfahrtbehörde', 'Zauberstab', 'xyzzy', 'Quantencomputer Förderung', 'moon landing permit', 'unicorn licence', 'asdfgh', 'Pizzalieferung', 'Bitcoin', 'Ferienwohnung Mallorca',
]

if (CATALOGUE_QUERIES.length !== 200) throw new Error(`bench/catalogue-queries.ts: expected 200 queries, got ${CATALOGUE_QUERIES.length}`)
