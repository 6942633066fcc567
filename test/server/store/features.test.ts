import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/server/features';

describe('the features list', () => {
  it('holds every released migration under its released name', () => {
    // Existing databases have run these names; renaming or dropping one makes Kysely refuse them.
    expect(Object.keys(MIGRATIONS).sort()).toEqual([
      '0001_initial',
      '0002_tls_check',
      '0003_portal',
      '0004_sender_name',
      '0005_portal_sign_in_links',
      '0006_data_keys',
      '0007_audit_pending',
      '0008_recipient_revocation',
    ]);
  });
});
