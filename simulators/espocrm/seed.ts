import { SANDBOX_ESPOCRM } from '../sandbox-credentials.js';
import type { EntityData, EntityType } from './model.js';
import type { WebhookSpec } from './webhooks.js';

/** Initial data of a simulator; loaded at construction and again on every reset. */
export interface EspoSeed {
  /** Rows per entity type. `id`, `createdAt` and `modifiedAt` are kept when given. */
  entities?: Partial<Record<EntityType, EntityData[]>>;
  /** Webhooks registered from the start, e.g. pointing at the gateway of a sandbox. */
  webhooks?: WebhookSpec[];
}

/** The case worker most demo Beteiligte are assigned to. */
export const DEMO_USER_ID = '66a0b1c2d3e4f5061';
/** Receives notifications about Beteiligte without an assigned user (`ESPOCRM_ADMIN_USER_ID`). */
export const DEMO_ADMIN_USER_ID = SANDBOX_ESPOCRM.adminUserId;

/** Ids of the demo Beteiligte, for tests and the sandbox walkthrough. */
export const DEMO_IDS = {
  annaSchmidt: '66a1f0c2b3d4e5f61',
  klausMueller: '66a1f0c2b3d4e5f62',
  maxMustermann: '66a1f0c2b3d4e5f63',
  schmidtImmobilien: '66a1f0c2b3d4e5f64',
  bergerHausverwaltung: '66a1f0c2b3d4e5f65',
  annaSchmidtKonto: '66a2f0c2b3d4e5f61',
  maxMustermannKonto: '66a2f0c2b3d4e5f63',
} as const;

/**
 * A small realistic CRM. Anna Schmidt, Klaus Müller and Hausverwaltung Berger are new and
 * wait for their first sync. Max Mustermann (betNr 100001) and Schmidt Immobilien GmbH
 * (betNr 100003) are linked to Beteiligte of the Advoware simulator's demo seed with the same
 * values but no hashes yet, as after a migration from the original system: the hub's
 * initial sync must match their Kommunikation instead of duplicating it, and their billing addresses, which Advoware
 * holds without the hub's marker, count as there (no duplicate); Schmidt Immobilien's shipping address is new. Max was last
 * synced long ago (the 24-hour check finds him); Schmidt Immobilien was edited since (dirty).
 */
export function demoSeed(): EspoSeed {
  return {
    entities: {
      CBeteiligte: [
        {
          id: DEMO_IDS.annaSchmidt,
          firstName: 'Anna',
          lastName: 'Schmidt',
          salutationName: 'Frau',
          dateOfBirth: '1985-03-14',
          firmenname: null,
          emailAddressData: [{ emailAddress: 'anna.schmidt@example.de', primary: true }],
          phoneNumberData: [
            { phoneNumber: '+49 30 7654321', type: 'Office', primary: true },
            { phoneNumber: '+49 170 2345678', type: 'Mobile', primary: false },
          ],
          billingAddressStreet: 'Kastanienallee 12',
          billingAddressPostalCode: '10435',
          billingAddressCity: 'Berlin',
          billingAddressCountry: 'Deutschland',
          syncStatus: 'pending_sync',
          assignedUserId: DEMO_USER_ID,
        },
        {
          id: DEMO_IDS.klausMueller,
          firstName: 'Klaus',
          lastName: 'Müller',
          salutationName: 'Herr',
          dateOfBirth: '1962-11-02',
          firmenname: null,
          emailAddressData: [{ emailAddress: 'k.mueller@example.de', primary: true }],
          phoneNumberData: [{ phoneNumber: '+49 89 9876543', type: 'Home', primary: true }],
          syncStatus: 'pending_sync',
        },
        {
          id: DEMO_IDS.maxMustermann,
          firstName: 'Max',
          lastName: 'Mustermann',
          salutationName: 'Herr',
          dateOfBirth: '1980-04-12',
          firmenname: null,
          emailAddressData: [{ emailAddress: 'max.mustermann@example.de', primary: true }],
          phoneNumberData: [
            { phoneNumber: '+49 30 1234567', type: 'Home', primary: true },
            { phoneNumber: '+49 171 2345678', type: 'Mobile', primary: false },
          ],
          // The address Advoware holds without the hub's marker: the first sync counts it, creates no duplicate.
          billingAddressStreet: 'Hauptstraße 1',
          billingAddressPostalCode: '10115',
          billingAddressCity: 'Berlin',
          billingAddressCountry: 'Deutschland',
          betnr: 100001,
          syncStatus: 'clean',
          advowareLastSync: '2024-11-04 09:30:00',
          syncRetryCount: 0,
          assignedUserId: DEMO_USER_ID,
        },
        {
          id: DEMO_IDS.schmidtImmobilien,
          firstName: null,
          lastName: null,
          firmenname: 'Schmidt Immobilien GmbH',
          rechtsform: 'GmbH',
          emailAddressData: [{ emailAddress: 'info@schmidt-immobilien.example', primary: true }],
          phoneNumberData: [
            { phoneNumber: '+49 89 5550100', type: 'Office', primary: true },
            { phoneNumber: '+49 89 5550199', type: 'Fax', primary: false },
          ],
          billingAddressStreet: 'Industriestraße 40',
          billingAddressPostalCode: '80339',
          billingAddressCity: 'München',
          billingAddressCountry: 'Germany',
          // Not in Advoware yet: the first sync creates it there with the marker.
          shippingAddressStreet: 'Leopoldstraße 8\n3. OG',
          shippingAddressPostalCode: '80802',
          shippingAddressCity: 'München',
          shippingAddressCountry: 'Deutschland',
          betnr: 100003,
          syncStatus: 'dirty',
          advowareLastSync: '2024-11-04 09:30:00',
          syncRetryCount: 0,
        },
        {
          id: DEMO_IDS.bergerHausverwaltung,
          firstName: null,
          lastName: null,
          firmenname: 'Hausverwaltung Berger GmbH',
          rechtsform: 'GmbH',
          emailAddressData: [{ emailAddress: 'info@berger-hv.example.de', primary: true }],
          phoneNumberData: [
            { phoneNumber: '+49 221 4455660', type: 'Office', primary: true },
            { phoneNumber: '+49 221 4455669', type: 'Fax', primary: false },
          ],
          syncStatus: 'pending_sync',
          assignedUserId: DEMO_USER_ID,
        },
      ],
      CBankverbindungen: [
        {
          id: DEMO_IDS.annaSchmidtKonto,
          name: 'Girokonto Anna Schmidt',
          iban: 'DE02500105170137075030',
          bic: 'INGDDEFFXXX',
          bank: 'ING',
          kontoinhaber: 'Anna Schmidt',
          cBeteiligteId: DEMO_IDS.annaSchmidt,
          syncStatus: 'pending_sync',
        },
        // Linked party (betNr 100001); Advoware holds the account with the hub's marker. The joint holder was added in
        // EspoCRM since (dirty): its sync updates the marked entry, no second one.
        {
          id: DEMO_IDS.maxMustermannKonto,
          name: 'Girokonto Max Mustermann',
          iban: 'DE89370400440532013000',
          bic: 'COBADEFFXXX',
          bank: 'Commerzbank',
          kontoinhaber: 'Max und Erika Mustermann',
          cBeteiligteId: DEMO_IDS.maxMustermann,
          assignedUserId: DEMO_USER_ID,
          syncStatus: 'dirty',
        },
      ],
    },
  };
}
