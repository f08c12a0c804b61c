import type { AdvowareSeed, SeedBeteiligte } from './types.js';

/** `YYYY-MM-DDT00:00:00` of the day `offsetDays` after `from` (UTC calendar). */
function day(from: Date, offsetDays: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + offsetDays));
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

const BETEILIGTE: SeedBeteiligte[] = [
  {
    betNr: 100001,
    name: 'Mustermann',
    vorname: 'Max',
    anrede: 'Herr',
    briefAnrede: 'Sehr geehrter Herr Mustermann',
    geburtsdatum: '1980-04-12T00:00:00',
    strasse: 'Hauptstraße 1',
    plz: '10115',
    ort: 'Berlin',
    geaendertAm: '2023-03-01T09:15:00',
    kommunikation: [
      { kommKz: 6, tlf: '+49 30 1234567', bemerkung: 'privat' },
      { kommKz: 3, tlf: '+49 171 2345678', bemerkung: 'nur abends erreichbar', online: true },
      { kommKz: 8, tlf: 'max.mustermann@example.de', online: true },
    ],
    adressen: [
      { strasse: 'Hauptstraße 1', plz: '10115', ort: 'Berlin', land: 'D', standardAnschrift: true, gueltigVon: '2015-01-01T00:00:00' },
      { strasse: 'Seeweg 7', plz: '18055', ort: 'Rostock', land: 'D', zusatz: 'Ferienwohnung', bemerkung: 'nur Sommer' },
    ],
    // Marked with the EspoCRM demo account's id (simulators/espocrm/seed.ts, maxMustermannKonto), as the hub writes it.
    bankverbindungen: [
      {
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        bank: 'Commerzbank',
        kontoinhaber: 'Max Mustermann',
        bemerkung: 'EspoCRM-ID: 66a2f0c2b3d4e5f63',
      },
    ],
  },
  {
    betNr: 100002,
    name: 'Musterfrau',
    vorname: 'Erika',
    anrede: 'Frau',
    titel: 'Dr.',
    briefAnrede: 'Sehr geehrte Frau Dr. Musterfrau',
    geburtsdatum: '1975-11-30T00:00:00',
    strasse: 'Lindenallee 12',
    plz: '50667',
    ort: 'Köln',
    geaendertAm: '2022-08-17T14:02:00',
    kommunikation: [
      { kommKz: 1, tlf: '+49 221 9876543', bemerkung: 'Kanzlei, Durchwahl 12', online: true },
      { kommKz: 4, tlf: 'e.musterfrau@kanzlei-musterfrau.de', online: true },
      { kommKz: 7, tlf: '+49 221 9876549' },
    ],
    adressen: [{ strasse: 'Lindenallee 12', plz: '50667', ort: 'Köln', land: 'D', standardAnschrift: true, gueltigVon: '2010-06-01T00:00:00' }],
  },
  {
    betNr: 100003,
    name: 'Schmidt Immobilien GmbH',
    rechtsform: 'GmbH',
    briefAnrede: 'Sehr geehrte Damen und Herren',
    zusatz: 'Hausverwaltung',
    strasse: 'Industriestraße 40',
    plz: '80339',
    ort: 'München',
    geaendertAm: '2021-01-20T08:00:00',
    kommunikation: [
      { kommKz: 1, tlf: '+49 89 5550100', bemerkung: 'Zentrale', online: true },
      { kommKz: 2, tlf: '+49 89 5550199' },
      { kommKz: 4, tlf: 'info@schmidt-immobilien.example', online: true },
      { kommKz: 5, tlf: 'https://schmidt-immobilien.example' },
      // A mobile number deleted in EspoCRM earlier: the entry stays as an empty slot (DELETE answers 403), and the
      // next mobile number added in EspoCRM goes into it instead of a new entry.
      { kommKz: 3, tlf: '', bemerkung: '[ESPOCRM-SLOT:3]', online: false },
    ],
    adressen: [
      {
        strasse: 'Industriestraße 40',
        plz: '80339',
        ort: 'München',
        land: 'D',
        standardAnschrift: true,
        anschrift: 'Schmidt Immobilien GmbH\nIndustriestraße 40\n80339 München',
      },
      { postfach: '12 34 56', postfachPlz: '80001', ort: 'München', land: 'D', bemerkung: 'Postfach für Schriftverkehr' },
    ],
    bankverbindungen: [{ iban: 'DE02120300000000202051', bic: 'BYLADEM1001', bank: 'Deutsche Kreditbank', kontoinhaber: 'Schmidt Immobilien GmbH' }],
  },
  {
    betNr: 100004,
    name: 'Weber',
    vorname: 'Jürgen',
    anrede: 'Herr',
    briefAnrede: 'Sehr geehrter Herr Weber',
    geburtsdatum: '1962-07-03T00:00:00',
    strasse: 'Am Markt 3',
    plz: '20095',
    ort: 'Hamburg',
    geaendertAm: '2024-02-11T16:45:00',
    kommunikation: [
      { kommKz: 3, tlf: '0160 98765432', online: true },
      { kommKz: 8, tlf: 'juergen.weber@example.org', bemerkung: 'bevorzugt per E-Mail' },
    ],
    adressen: [{ strasse: 'Am Markt 3', plz: '20095', ort: 'Hamburg', land: 'D', standardAnschrift: true }],
  },
  {
    betNr: 100005,
    name: 'Yilmaz',
    vorname: 'Ayşe',
    anrede: 'Frau',
    briefAnrede: 'Sehr geehrte Frau Yilmaz',
    geburtsdatum: '1990-01-05T00:00:00',
    strasse: 'Bahnhofstraße 22',
    plz: '70173',
    ort: 'Stuttgart',
    geaendertAm: '2024-09-02T10:30:00',
    kommunikation: [
      { kommKz: 6, tlf: '+49 711 445566' },
      { kommKz: 3, tlf: '+49 152 11223344', bemerkung: 'WhatsApp ok', online: true },
    ],
    adressen: [{ strasse: 'Bahnhofstraße 22', plz: '70173', ort: 'Stuttgart', land: 'D', standardAnschrift: true }],
  },
];

/** A few appointments per active employee in the weeks after `now`: timed, all-day and a weekly series. */
function termine(now: Date, kuerzel: string, shift: number): AdvowareSeed['termine'] {
  return [
    {
      kuerzel,
      betreff: 'Mandantengespräch Mustermann',
      ort: 'Besprechungsraum 1',
      notiz: 'Unterlagen Mietvertrag mitbringen',
      datum: day(now, 2 + shift),
      uhrzeitVon: '10:00:00',
      datumBis: day(now, 2 + shift),
      uhrzeitBis: '11:00:00',
    },
    {
      kuerzel,
      betreff: 'Verhandlung AG Köln, Az. 12 C 345/24',
      ort: 'Amtsgericht Köln, Saal 101',
      datum: day(now, 5 + shift),
      uhrzeitVon: '13:30:00',
      datumBis: day(now, 5 + shift),
      uhrzeitBis: '15:00:00',
    },
    {
      kuerzel,
      betreff: 'Fristablauf Berufungsbegründung',
      datum: day(now, 9 + shift),
      datumBis: day(now, 9 + shift),
      dauertermin: true,
    },
    {
      kuerzel,
      betreff: 'Teambesprechung',
      ort: 'Kanzlei',
      datum: day(now, 1 + shift),
      uhrzeitVon: '09:00:00',
      datumBis: day(now, 1 + shift),
      uhrzeitBis: '09:30:00',
      turnus: 1,
      turnusArt: 2,
      turnusBis: day(now, 43 + shift),
    },
  ];
}

/**
 * Demo data for the sandbox: employees ABC, DEF, GHI (active) and JKL (inactive),
 * Beteiligte 100001–100005 (four persons, one company) and appointments relative to `now`.
 */
export function demoSeed(now: Date = new Date()): AdvowareSeed {
  return {
    mitarbeiter: [
      { kuerzel: 'ABC', name: 'Becker', vorname: 'Anna', email: 'a.becker@kanzlei.example', aktiv: true },
      { kuerzel: 'DEF', name: 'Fischer', vorname: 'Daniel', email: 'd.fischer@kanzlei.example', aktiv: true },
      { kuerzel: 'GHI', name: 'Hoffmann', vorname: 'Gabriele', email: 'g.hoffmann@kanzlei.example', aktiv: true },
      { kuerzel: 'JKL', name: 'Klein', vorname: 'Jonas', email: 'j.klein@kanzlei.example', aktiv: false },
    ],
    beteiligte: structuredClone(BETEILIGTE),
    termine: [...termine(now, 'ABC', 0), ...termine(now, 'DEF', 1), ...termine(now, 'GHI', 2)],
  };
}
