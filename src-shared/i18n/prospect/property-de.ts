/**
 * Text an OpenImmo import writes into a property (the agent edits it afterwards). German like the
 * rest of a property's own data: the landing page shows it as stored, and that page is German.
 */
export const PROPERTY_IMPORT_DE = {
  /** OpenImmo aussen_courtage (mit_mwst: whether VAT is included and the figure does not say so) */
  buyerCommission: (courtage: string, addVatNote: boolean) =>
    `Käuferprovision: ${courtage}${addVatNote ? ' inkl. MwSt.' : ''}`,
} as const;
