import { Migration } from '@mikro-orm/migrations';
import type { Knex } from '@mikro-orm/knex';

/**
 * Migrations are classes in code, listed in order, so they ship inside dist/
 * and run the same on SQLite and PostgreSQL (the schema builder writes each dialect).
 */
abstract class SchemaMigration extends Migration {
  protected addSchema(build: (schema: Knex.SchemaBuilder) => Knex.SchemaBuilder): void {
    const knex = this.getKnex();
    // On PostgreSQL the tables belong in the configured schema, not in the search path's first.
    const schema = this.config.get('schema');
    for (const stmt of build(schema ? knex.schema.withSchema(schema) : knex.schema).toSQL()) this.addSql(stmt.sql);
  }
}

export class Migration20261128Init extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) =>
      s
        .createTable('ocr_job', (t) => {
          t.string('job_id', 64).primary();
          t.string('status', 16).notNullable();
          t.integer('attempt').notNullable();
          t.string('created_at', 32).notNullable();
          t.string('started_at', 32);
          t.string('completed_at', 32);
          t.string('image_key', 100).notNullable();
          t.json('image').notNullable();
          t.string('requested_at', 32).notNullable();
          t.string('image_purged_at', 32);
          t.text('ocr_text');
          t.string('error_code', 64);
          t.text('error_message');
          t.boolean('error_retryable');
          t.string('medication_id', 64);
          t.json('result_data');
          t.bigInteger('last_seq').notNullable();
          t.index(['status', 'created_at'], 'ocr_job_status_created_idx');
          t.index(['status', 'requested_at'], 'ocr_job_status_requested_idx');
        })
        .createTable('med', (t) => {
          t.string('id', 64).primary();
          for (const c of ['name', 'dosage', 'form', 'sig']) t.text(c);
          t.string('schedule', 32);
          t.boolean('as_needed');
          t.text('instructions');
          t.double('quantity');
          t.integer('refills');
          for (const c of ['prescriber', 'rx_number', 'pharmacy']) t.text(c);
          t.string('status', 16).notNullable();
          t.json('confidence');
          t.string('source_job_id', 64);
          t.string('created_at', 32).notNullable();
          t.string('updated_at', 32).notNullable();
          t.string('deleted_at', 32);
          t.bigInteger('last_seq').notNullable();
          t.index(['source_job_id'], 'med_source_job_idx');
        })
        .createTable('projection_position', (t) => {
          t.string('stream', 32).primary();
          t.bigInteger('last_seq').notNullable();
        })
        .createTable('projector_lease', (t) => {
          t.string('name', 32).primary();
          t.string('holder', 128).notNullable();
          t.bigInteger('expires_at').notNullable();
        }),
    );
  }

  override async down(): Promise<void> {
    this.addSchema((s) => s.dropTable('projector_lease').dropTable('projection_position').dropTable('med').dropTable('ocr_job'));
  }
}

/** Paired devices and pairing codes: state of their own, not projected from the bus. */
export class Migration20261129Devices extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) =>
      s
        .createTable('device', (t) => {
          t.string('id', 64).primary();
          t.string('name', 80).notNullable();
          t.string('token_hash', 64).notNullable().unique({ indexName: 'device_token_hash_unique' });
          t.string('created_at', 32).notNullable();
          t.string('last_seen_at', 32);
          t.string('revoked_at', 32);
        })
        .createTable('pairing_code', (t) => {
          t.string('code_hash', 64).primary();
          t.bigInteger('expires_at').notNullable();
          t.string('used_at', 32);
        }),
    );
  }

  override async down(): Promise<void> {
    this.addSchema((s) => s.dropTable('pairing_code').dropTable('device'));
  }
}

/**
 * The household record (issue 16): the label's fill fields, whose a medication is, stop and
 * undo on `med`; the people; each medication's history. All projected from the streams.
 */
export class Migration20261201HouseholdRecord extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) =>
      s
        .alterTable('med', (t) => {
          t.text('patient');
          t.string('date_filled', 10);
          t.string('discard_after', 10);
          t.string('pharmacy_phone', 40);
          t.string('quantity_unit', 40);
          t.string('person_id', 64);
          t.string('stopped_at', 32);
          t.string('replaced_by', 64);
          t.index(['person_id'], 'med_person_idx');
        })
        .createTable('person', (t) => {
          t.string('id', 64).primary();
          t.string('name', 100).notNullable();
          t.string('created_at', 32).notNullable();
          t.string('updated_at', 32).notNullable();
          t.string('merged_into', 64);
          t.bigInteger('last_seq').notNullable();
        })
        .createTable('med_history', (t) => {
          t.string('id', 100).primary();
          t.string('med_id', 64).notNullable();
          t.string('stream', 16).notNullable();
          t.bigInteger('seq').notNullable();
          t.string('kind', 16).notNullable();
          t.string('at', 32).notNullable();
          t.json('detail');
          t.index(['med_id', 'at'], 'med_history_med_at_idx');
        }),
    );
  }

  override async down(): Promise<void> {
    this.addSchema((s) =>
      s
        .dropTable('med_history')
        .dropTable('person')
        .alterTable('med', (t) => {
          t.dropIndex(['person_id'], 'med_person_idx');
          for (const c of ['patient', 'date_filled', 'discard_after', 'pharmacy_phone', 'quantity_unit', 'person_id', 'stopped_at', 'replaced_by']) t.dropColumn(c);
        }),
    );
  }
}

/** Other values other looks gave for a draft's fields (another photo, the second reader). */
export class Migration20261202ReadingAlternatives extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) => s.alterTable('med', (t) => t.json('alternatives')));
  }

  override async down(): Promise<void> {
    this.addSchema((s) => s.alterTable('med', (t) => t.dropColumn('alternatives')));
  }
}

/** The dead-letter table: events the projector parked instead of retrying for ever (issue 14). */
export class Migration20261203ParkedEvents extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) =>
      s.createTable('parked_event', (t) => {
        t.string('id', 48).primary();
        t.string('stream', 16).notNullable();
        t.bigInteger('seq').notNullable();
        t.string('subject', 200).notNullable();
        t.string('reason', 16).notNullable();
        t.text('error').notNullable();
        t.integer('attempts').notNullable();
        t.string('parked_at', 32).notNullable();
        t.string('dropped_at', 32);
      }),
    );
  }

  override async down(): Promise<void> {
    this.addSchema((s) => s.dropTable('parked_event'));
  }
}

/** Several photos per scan (issue 17): the job lists them; a draft keeps where each field was read. */
export class Migration20261204ScanPhotos extends SchemaMigration {
  override async up(): Promise<void> {
    this.addSchema((s) => s.alterTable('ocr_job', (t) => t.json('images')).alterTable('med', (t) => t.json('boxes')));
  }

  override async down(): Promise<void> {
    this.addSchema((s) => s.alterTable('med', (t) => t.dropColumn('boxes')).alterTable('ocr_job', (t) => t.dropColumn('images')));
  }
}

export const MIGRATIONS = [
  { name: 'Migration20261128Init', class: Migration20261128Init },
  { name: 'Migration20261129Devices', class: Migration20261129Devices },
  { name: 'Migration20261201HouseholdRecord', class: Migration20261201HouseholdRecord },
  { name: 'Migration20261202ReadingAlternatives', class: Migration20261202ReadingAlternatives },
  { name: 'Migration20261203ParkedEvents', class: Migration20261203ParkedEvents },
  { name: 'Migration20261204ScanPhotos', class: Migration20261204ScanPhotos },
];
