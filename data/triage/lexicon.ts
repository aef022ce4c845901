/**
 * Category vocabulary: the words citizens use for each Mängelmelder category and each office's topics, German and
 * English, as the category lists and descriptions of the sources in SOURCES.md name them (source id first). Each
 * term becomes one short training row, so the model knows a category's words even from few full reports.
 */
export const REPORT_LEXICON: Record<string, [source: string, terms: string[]][]> = {
  'street-light': [
    ['koeln-sagsuns', ['Leuchtmittel defekt', 'Straßenlaterne', 'Laterne aus', 'Straßenbeleuchtung ausgefallen']],
    ['devon', ['Lampe flackert', 'Licht brennt tagsüber', 'Lichtmast schief', 'Leuchte ohne Abdeckung', 'street light not lit', 'lamp flickering', 'light on all day', 'lamp post leaning']],
    ['own', ['Laterne dunkel', 'Beleuchtung defekt', 'Lampe kaputt', 'Mastleuchte', 'Wegbeleuchtung', 'Leuchte ausgefallen', 'streetlight out', 'broken street lamp', 'Straßenlampe', 'Laternenmast']],
  ],
  pothole: [
    ['koeln-sagsuns', ['Defekte Oberfläche', 'Schlagloch', 'Asphaltschaden', 'Fahrbahnschaden']],
    ['devon', ['pothole', 'road surface damaged', 'sunken road']],
    ['own', ['Loch in der Fahrbahn', 'Straßenschaden', 'Fahrbahn aufgerissen', 'Riss im Asphalt', 'Spurrillen', 'Frostaufbruch', 'hole in the road', 'Straßenloch']],
  ],
  'illegal-dumping': [
    ['koeln-sagsuns', ['Wilder Müll', 'Sperrmüll abgestellt', 'Bauschutt abgeladen', 'Matratze am Straßenrand', 'Altreifen entsorgt', 'Müllsäcke abgelegt', 'Gerümpel auf dem Gehweg']],
    ['fixmystreet', ['fly-tipping', 'dumped rubbish', 'dumped mattress', 'illegal dumping', 'abandoned furniture']],
    ['own', ['Müllablagerung', 'illegale Müllentsorgung', 'wilde Müllkippe', 'Elektroschrott abgestellt', 'Kühlschrank abgestellt', 'Möbel auf der Straße', 'Sofa abgestellt', 'Einkaufswagen abgestellt', 'Farbeimer entsorgt', 'Grünschnitt abgekippt']],
  ],
  'litter-bin': [
    ['own', ['Mülleimer voll', 'Papierkorb voll', 'Abfalleimer überfüllt', 'Abfallbehälter defekt', 'Papierkorb kaputt', 'Mülleimer nicht geleert', 'Mülleimer fehlt', 'Abfallkorb', 'Mülleimer umgekippt', 'Straßenreinigung', 'Verpackungsmüll', 'Zigarettenkippen', 'overflowing bin', 'litter bin full', 'bin not emptied', 'broken litter bin', 'litter on street', 'Unrat auf dem Gehweg']],
  ],
  graffiti: [
    ['waz-maengel-apps', ['Graffiti', 'Schmiererei']],
    ['nottinghamshire-fms', ['spray paint', 'fly-posting', 'graffiti removal']],
    ['own', ['besprüht', 'Farbschmierereien', 'Tags an der Wand', 'Sprühfarbe', 'verschmierte Fassade', 'illegale Plakate', 'Aufkleber', 'Hakenkreuz gesprüht', 'Vandalismus Farbe', 'offensive graffiti', 'wall sprayed', 'tagging', 'Wandschmiererei', 'Plakatierung', 'bemalt']],
  ],
  playground: [
    ['wohnen-in-der-mitte', ['defekte Schaukel', 'Spielplatz']],
    ['erkelenz', ['Spielplatz Mangel', 'Bolzplatz', 'Spielgerät defekt']],
    ['own', ['Rutsche kaputt', 'Klettergerüst', 'Sandkasten', 'Wippe', 'Karussell', 'Fallschutz', 'Spielplatzgerät', 'Seilbahn Spielplatz', 'Kinderspielplatz', 'Schaukelkette', 'Spielturm', 'playground', 'swing broken', 'slide damaged', 'sandpit', 'climbing frame', 'Spielplatztor', 'Basketballkorb']],
  ],
  tree: [
    ['rastatt', ['Gefahr durch Bäume', 'Äste heruntergefallen', 'Überhang']],
    ['devon', ['fallen tree', 'hazardous tree', 'branch hanging', 'diseased tree']],
    ['koeln-sagsuns', ['Baumstamm auf dem Weg']],
    ['own', ['Ast abgebrochen', 'Baum umgestürzt', 'Baum schief', 'morscher Baum', 'Totholz', 'Sturmschaden Baum', 'Baumkrone', 'Baumpilz', 'Astbruch', 'Baum', 'Ast']],
  ],
  'park-bench': [
    ['wohnen-in-der-mitte', ['beschmierte Bank']],
    ['own', ['Sitzbank kaputt', 'Parkbank', 'Bank defekt', 'Rückenlehne fehlt', 'Sitzbank', 'Bank wackelt', 'Holzlatten gebrochen', 'Ruhebank', 'Picknicktisch', 'Sitzgelegenheit', 'Bank umgeworfen', 'Bank morsch', 'broken bench', 'park bench', 'bench vandalised', 'seat broken', 'Bank verrostet', 'Sitzfläche']],
  ],
  'traffic-sign': [
    ['koeln-sagsuns', ['Defekte Verkehrszeichen', 'Straßenmarkierung', 'Schilderfüße', 'Schild verdreht']],
    ['rastatt', ['umgefallenes Verkehrsschild']],
    ['devon', ['road sign damaged', 'road markings worn', 'give way lines', 'warning sign', 'lit sign bollard']],
    ['own', ['Verkehrsschild', 'Straßenschild fehlt', 'Stoppschild', 'Vorfahrtsschild', 'Schild umgefahren', 'Schild verbogen', 'Markierung verblasst', 'Zebrastreifen', 'Halteverbotsschild', 'Tempo 30 Schild', 'Schild zugewachsen', 'Baustellenbake', 'Leitpfosten', 'street name sign']],
  ],
  'blocked-drain': [
    ['koeln-sagsuns', ['Gully verstopft', 'Gullideckel defekt', 'Sinkkasten']],
    ['devon', ['blocked drain', 'flooding', 'standing water', 'manhole cover broken', 'gully blocked']],
    ['erkelenz', ['Kanalmangel', 'Kanal']],
    ['own', ['Abfluss verstopft', 'Kanaldeckel', 'Schachtdeckel', 'Straßeneinlauf', 'Wasser steht', 'Überschwemmung', 'Pfütze', 'Regenwasser läuft nicht ab', 'Kanalgeruch', 'Abwasser', 'Entwässerung', 'Gitterrost', 'Gully']],
  ],
  'abandoned-vehicle': [
    ['koeln-sagsuns', ['Schrott-Kfz', 'Fahrzeug ohne Kennzeichen', 'Schrottroller', 'Wohnwagen abgestellt']],
    ['rp-online', ['schrottreife Autos', 'nicht fahrbereit']],
    ['fixmystreet', ['abandoned vehicle', 'abandoned car', 'car without plates']],
    ['own', ['Autowrack', 'abgemeldetes Fahrzeug', 'Anhänger abgestellt', 'Auto ohne Nummernschild', 'Motorroller abgestellt', 'ausgebranntes Auto', 'Schrottauto', 'Fahrzeug seit Wochen', 'platte Reifen', 'Auto abgestellt TÜV abgelaufen']],
  ],
  'dog-waste': [
    ['fiets-uk', ['dog fouling']],
    ['rp-online', ['Hundekot']],
    ['own', ['Hundehaufen', 'Hundedreck', 'Hundekotbeutel', 'Beutelspender leer', 'Hundetoilette', 'Gassibeutel', 'Hinterlassenschaften Hund', 'Kot auf dem Gehweg', 'dog poo', 'dog mess', 'poo bags', 'Hundekotstation', 'Hundebesitzer', 'Hundescheiße']],
  ],
  pavement: [
    ['maengelmelder-yaml', ['Gehweg beschädigt', 'Radweg beschädigt', 'lose Platten', 'fehlende Platten', 'Stolperkanten', 'Wurzelaufbrüche']],
    ['koeln-sagsuns', ['Gehwegplatten lose', 'Stolperkante', 'Bordstein lose', 'Bürgersteig kaputt']],
    ['devon', ['trip hazard pavement', 'loose paving slab', 'broken pavement', 'cycle path damaged']],
    ['own', ['Gehweg uneben', 'Pflaster abgesackt', 'Gehwegplatte', 'Fußweg kaputt', 'Radweg Wurzeln', 'Bordsteinkante', 'Pflastersteine fehlen', 'Radwegbelag', 'footpath broken', 'Gehwegschaden']],
  ],
  vegetation: [
    ['koeln-sagsuns', ['Kölner Grün', 'Grünpflege']],
    ['devon', ['overgrown vegetation', 'overgrown hedge', 'vegetation blocking path']],
    ['waz-maengel-apps', ['wuchernde Sträucher']],
    ['own', ['Hecke wuchert', 'Sträucher ragen', 'Gestrüpp', 'Rückschnitt nötig', 'Gras zu hoch', 'nicht gemäht', 'Unkraut', 'Brombeeren', 'zugewachsen', 'Wildwuchs', 'Grünstreifen verwildert', 'Büsche', 'Hecke schneiden', 'grass not cut', 'weeds']],
  ],
  'abandoned-bicycle': [
    ['koeln-sagsuns', ['Schrottfahrräder', 'Schrottfahrrad', 'Fahrradleiche']],
    ['fixmystreet', ['abandoned bike', 'abandoned bicycle']],
    ['own', ['Fahrrad abgestellt seit Wochen', 'Fahrradwrack', 'verrostetes Fahrrad', 'Rad ohne Sattel', 'Fahrradständer blockiert', 'Schrottrad', 'altes Fahrrad', 'Fahrrad platt', 'rusty bike', 'bike without wheel', 'Fahrradbügel', 'kaputtes Fahrrad']],
  ],
  noise: [
    ['amsterdam-signalen', ['Lärm Musik', 'Lärm Anlagen', 'Lärm Gastronomie', 'noise music', 'noise installation']],
    ['own', ['Lärm', 'Lärmbelästigung', 'Ruhestörung', 'laute Musik', 'Krach', 'Baulärm', 'Laubbläser', 'Alarmanlage', 'nachts laut', 'Party', 'Lüftung brummt', 'bellender Hund', 'noise', 'loud party', 'Lärm nachts', 'Geräusch']],
  ],
}

/** Offices' topics that no service file names (services/*.yaml keywords are read by the build script). */
export const CONTACT_LEXICON: Record<string, [source: string, terms: string[]][]> = {
  buergerdienste: [['own', ['Personalausweis', 'Reisepass', 'Bürgerbüro', 'Termin Bürgeramt', 'Ausweis verloren', 'Kinderreisepass', 'identity card', 'passport', 'Lebensbescheinigung', 'Beglaubigung']]],
  'amt-fuer-wohnen': [['own', ['Wohnberechtigungsschein', 'WBS', 'Sozialwohnung', 'Wohnungsaufsicht', 'Mietspiegel', 'Zweckentfremdung Wohnraum', 'social housing']]],
  jugendamt: [['own', ['Kita', 'Kitaplatz', 'Kindergarten', 'Elternbeitrag', 'Tagesmutter', 'Kindertagespflege', 'Sorgerecht', 'Vaterschaft', 'Beistandschaft', 'Erziehungsberatung', 'Kindeswohl', 'daycare', 'nursery place', 'child support']]],
  strassenverkehrsamt: [['own', ['Zulassungsstelle', 'Kennzeichen', 'Wunschkennzeichen', 'Führerschein', 'Umschreibung', 'Fahrerlaubnis', 'Parkausweis', 'Anwohnerparken', 'internationaler Führerschein', 'car registration', 'driving licence']]],
  ordnungsamt: [['own', ['Lärmbelästigung', 'Ruhestörung', 'Falschparker', 'Fundbüro', 'Straßenfest', 'Veranstaltung anmelden', 'Gewerbeschein', 'Gaststättenerlaubnis', 'noise complaint', 'lost property']]],
  umweltamt: [['own', ['Sperrmüll', 'Sondermüll', 'Schadstoffe', 'Biotonne', 'Mülltonne', 'Abfallkalender', 'Baumschutzsatzung', 'Lärmschutz', 'Luftqualität', 'Förderprogramm Klima', 'bulky waste', 'recycling']]],
  gesundheitsamt: [['own', ['Impfung', 'Impfberatung', 'Infektionsschutz', 'Belehrung Gastronomie', 'Schuleingangsuntersuchung', 'Amtsarzt', 'Gesundheitszeugnis', 'Schädlinge', 'Ratten', 'HIV Test', 'vaccination', 'health certificate']]],
  bauordnungsamt: [['own', ['Baugenehmigung', 'Bauantrag', 'Bauvoranfrage', 'Carport', 'Gartenhaus', 'Dachgaube', 'Nutzungsänderung', 'Bauakte', 'Schwarzbau', 'Abriss', 'planning permission', 'building permit']]],
  'stadtkasse-steueramt': [['own', ['Mahnung', 'Grundsteuer', 'Gewerbesteuer', 'Kassenzeichen', 'Lastschrift', 'SEPA-Mandat', 'Ratenzahlung', 'Stundung', 'Zahlungserinnerung', 'Steuerbescheid', 'payment reminder', 'property tax']]],
  tiefbauamt: [['own', ['Baustelle', 'Straßensanierung', 'Halteverbot Umzug', 'Bordsteinabsenkung', 'Gerüst Gehweg', 'Container Straße', 'Aufgrabung', 'Straßenausbau', 'Anliegerbeitrag', 'roadworks', 'skip permit']]],
  sozialamt: [['own', ['Grundsicherung', 'Sozialhilfe', 'Hilfe zur Pflege', 'Pflegeheim Kosten', 'Schwerbehindertenausweis', 'Bildung und Teilhabe', 'Sozialticket', 'Obdachlosigkeit', 'Wohnungslosigkeit', 'Bestattungskosten', 'Asylbewerberleistungen', 'social assistance', 'income support']]],
  tierheim: [['own', ['Tierheim', 'Tiervermittlung', 'Tier adoptieren', 'Tier abgeben', 'Gassigehen ehrenamtlich', 'Besuchszeiten Tierheim', 'Igel gefunden', 'Wildtier verletzt', 'animal shelter', 'adopt a dog']]],
}
