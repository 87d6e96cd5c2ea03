import type Database from 'better-sqlite3';
import type { ContactKind, PropertyMarketStatus } from '../../../src-shared/api';

export interface ContactLegal {
  email: string;
  name: string | null;
  kind: ContactKind;
  archivedAt: string | null;
  offerPermissionAt: string | null;
}

export interface PropertyLanding {
  propertyId: string;
  status: PropertyMarketStatus;
  lockAll: boolean;
  buyerCommission: boolean;
}

/**
 * What the legal form and the landing-page locks need on the desktop: contact kind, archive and
 * Kontakterlaubnis, each property's status/lock/buyer commission, the Absagen, and the
 * confirmation mails this desktop took on. Rows marked not pushed are sent to the collector on
 * the next sync, so a change made offline still reaches the landing pages.
 */
export function createLandingRepo(db: Database.Database) {
  const contact = db.prepare<
    [string],
    {
      email: string;
      name: string | null;
      kind: ContactKind;
      archived_at: string | null;
      offer_permission_at: string | null;
    }
  >('SELECT email, name, kind, archived_at, offer_permission_at FROM contacts WHERE email = ?');
  const contactsAll = db.prepare<
    [],
    {
      email: string;
      name: string | null;
      kind: ContactKind;
      archived_at: string | null;
      offer_permission_at: string | null;
    }
  >(
    'SELECT email, name, kind, archived_at, offer_permission_at FROM contacts ORDER BY archived_at IS NOT NULL, last_used_at DESC LIMIT 2000',
  );
  const ensureContact = db.prepare(
    `INSERT INTO contacts (email, id, name, use_count, last_used_at) VALUES (?, lower(hex(randomblob(16))), NULL, 0, ?)
     ON CONFLICT (email) DO NOTHING`,
  );
  const setKind = db.prepare('UPDATE contacts SET kind = ? WHERE email = ?');
  const setArchived = db.prepare('UPDATE contacts SET archived_at = ?, lock_pushed = 0 WHERE email = ?');
  const setPermission = db.prepare(
    'UPDATE contacts SET offer_permission_at = ? WHERE email = ? AND (offer_permission_at IS NULL OR offer_permission_at > ?)',
  );
  const unpushedContacts = db.prepare<[], { email: string; archived_at: string | null }>(
    'SELECT email, archived_at FROM contacts WHERE lock_pushed = 0',
  );
  const contactPushed = db.prepare(
    'UPDATE contacts SET lock_pushed = 1 WHERE email = ? AND (archived_at IS ?)',
  );

  const propGet = db.prepare<
    [string],
    { property_id: string; status: PropertyMarketStatus; lock_all: number; buyer_commission: number }
  >('SELECT property_id, status, lock_all, buyer_commission FROM property_landing WHERE property_id = ?');
  const propSet = db.prepare(
    `INSERT INTO property_landing (property_id, status, lock_all, buyer_commission, pushed, updated_at)
     VALUES (@propertyId, @status, @lockAll, @buyerCommission, 0, @at)
     ON CONFLICT (property_id) DO UPDATE SET status = excluded.status, lock_all = excluded.lock_all,
       buyer_commission = excluded.buyer_commission, pushed = 0, updated_at = excluded.updated_at`,
  );
  const propUnpushed = db.prepare<
    [],
    { property_id: string; status: PropertyMarketStatus; lock_all: number; updated_at: string }
  >('SELECT property_id, status, lock_all, updated_at FROM property_landing WHERE pushed = 0');
  const propPushed = db.prepare(
    'UPDATE property_landing SET pushed = 1 WHERE property_id = ? AND updated_at = ?',
  );

  const dealsOf = db.prepare<[string], { email: string; rejected: number }>(
    'SELECT email, rejected FROM deal_rejections WHERE property_id = ?',
  );
  const dealSet = db.prepare(
    `INSERT INTO deal_rejections (property_id, email, rejected, pushed, updated_at) VALUES (?, ?, ?, 0, ?)
     ON CONFLICT (property_id, email) DO UPDATE SET rejected = excluded.rejected, pushed = 0, updated_at = excluded.updated_at`,
  );
  const dealUnpushed = db.prepare<
    [],
    { property_id: string; email: string; rejected: number; updated_at: string }
  >('SELECT property_id, email, rejected, updated_at FROM deal_rejections WHERE pushed = 0');
  const dealPushed = db.prepare(
    'UPDATE deal_rejections SET pushed = 1 WHERE property_id = ? AND email = ? AND updated_at = ?',
  );

  const mailInsert = db.prepare(
    `INSERT OR IGNORE INTO confirmation_mails (declaration_id, activity_id, offer_id, state, created_at)
     VALUES (?, ?, ?, 'queued', ?)`,
  );
  const mailByActivity = db.prepare<[string], { declaration_id: string; state: string }>(
    'SELECT declaration_id, state FROM confirmation_mails WHERE activity_id = ?',
  );
  const mailKnown = db.prepare<[string], { state: string }>(
    'SELECT state FROM confirmation_mails WHERE declaration_id = ?',
  );
  const mailState = db.prepare('UPDATE confirmation_mails SET state = ? WHERE declaration_id = ?');
  const mailsToReport = db.prepare<[], { declaration_id: string; activity_id: string }>(
    "SELECT declaration_id, activity_id FROM confirmation_mails WHERE state = 'sent'",
  );

  const prospects = db.prepare<[string], { email: string; name: string | null }>(
    `SELECT r.email AS email, MAX(r.name) AS name FROM offers o
     JOIN activity_recipients r ON r.activity_id = o.activity_id
     WHERE o.property_id = ? GROUP BY lower(r.email) ORDER BY MIN(r.rowid)`,
  );

  const toContact = (r: {
    email: string;
    name: string | null;
    kind: ContactKind;
    archived_at: string | null;
    offer_permission_at: string | null;
  }): ContactLegal => ({
    email: r.email,
    name: r.name,
    kind: r.kind,
    archivedAt: r.archived_at,
    offerPermissionAt: r.offer_permission_at,
  });

  return {
    contact(email: string): ContactLegal | null {
      const r = contact.get(email);
      return r ? toContact(r) : null;
    },
    contacts(): ContactLegal[] {
      return contactsAll.all().map(toContact);
    },
    kindOf(email: string): ContactKind {
      return contact.get(email)?.kind ?? 'consumer';
    },
    setKind(email: string, kind: ContactKind, at: string): void {
      ensureContact.run(email, at);
      setKind.run(kind, email);
    },
    setArchived(email: string, archived: boolean, at: string): void {
      ensureContact.run(email, at);
      setArchived.run(archived ? at : null, email);
    },
    /** the earliest Kontakterlaubnis stays (a later confirmation does not move it) */
    grantPermission(email: string, at: string): boolean {
      ensureContact.run(email, at);
      return setPermission.run(at, email, at).changes > 0;
    },
    unpushedContacts: () =>
      unpushedContacts
        .all()
        .map((r) => ({ email: r.email, archived: r.archived_at !== null, archivedAt: r.archived_at })),
    contactPushed(email: string, archivedAt: string | null): void {
      contactPushed.run(email, archivedAt);
    },

    property(propertyId: string): PropertyLanding {
      const r = propGet.get(propertyId);
      return r
        ? {
            propertyId,
            status: r.status,
            lockAll: r.lock_all === 1,
            buyerCommission: r.buyer_commission === 1,
          }
        : { propertyId, status: 'available', lockAll: false, buyerCommission: true };
    },
    setProperty(p: PropertyLanding, at: string): void {
      propSet.run({
        propertyId: p.propertyId,
        status: p.status,
        lockAll: p.lockAll ? 1 : 0,
        buyerCommission: p.buyerCommission ? 1 : 0,
        at,
      });
    },
    unpushedProperties: () => propUnpushed.all(),
    propertyPushed(propertyId: string, updatedAt: string): void {
      propPushed.run(propertyId, updatedAt);
    },

    /** everyone an offer of this property went to */
    prospects: (propertyId: string) => prospects.all(propertyId),
    rejections(propertyId: string): Map<string, boolean> {
      return new Map(dealsOf.all(propertyId).map((r) => [r.email.toLowerCase(), r.rejected === 1]));
    },
    setRejected(propertyId: string, email: string, rejected: boolean, at: string): void {
      dealSet.run(propertyId, email, rejected ? 1 : 0, at);
    },
    unpushedDeals: () => dealUnpushed.all(),
    dealPushed(propertyId: string, email: string, updatedAt: string): void {
      dealPushed.run(propertyId, email, updatedAt);
    },

    /** false when this declaration is known here already (a restart, a second poll) */
    queueMail(declarationId: string, activityId: string, offerId: string, at: string): boolean {
      return mailInsert.run(declarationId, activityId, offerId, at).changes > 0;
    },
    mailKnown: (declarationId: string) => mailKnown.get(declarationId)?.state ?? null,
    mailForActivity: (activityId: string) => mailByActivity.get(activityId) ?? null,
    setMailState(declarationId: string, state: 'queued' | 'sent' | 'reported' | 'dropped'): void {
      mailState.run(state, declarationId);
    },
    mailsToReport: () => mailsToReport.all(),
  };
}
export type LandingRepo = ReturnType<typeof createLandingRepo>;
