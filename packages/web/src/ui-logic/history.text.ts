import type { HistoryEntryView, PersonView } from '@rxscan/contracts';
import { REVIEW_FIELDS } from './review.form.js';

const labelOf = (field: string) => (REVIEW_FIELDS.find((f) => f.key === field)?.label ?? field).replace(/ \(as printed\)$/, '').toLowerCase();
const list = (fields: string[]) => fields.map(labelOf).join(', ');

/** One line of a medication's history in words: "Refilled: filled 2026-11-01, 30 tablet, 2 refills left". */
export function historyText(h: HistoryEntryView, people: readonly PersonView[]): string {
  const who = (id: string | null | undefined) => (id ? (people.find((p) => p.id === id)?.name ?? 'someone no longer on the list') : 'nobody in particular');
  switch (h.kind) {
    case 'scanned':
      return 'Scanned';
    case 'confirmed':
      return `Confirmed${h.fields?.length ? ` after correcting ${list(h.fields)}` : ''}${h.person_id ? ` for ${who(h.person_id)}` : ''}`;
    case 'edited':
      return `Edited: ${list(h.fields ?? [])}`;
    case 'refilled': {
      const f = h.fill;
      const parts = [
        f?.date_filled && `filled ${f.date_filled}`,
        f?.quantity != null && `${f.quantity}${f.quantity_unit ? ` ${f.quantity_unit}` : ''}`,
        f?.refills != null && `${f.refills} ${f.refills === 1 ? 'refill' : 'refills'} left`,
      ].filter(Boolean);
      return `Refilled${parts.length ? `: ${parts.join(', ')}` : ''}`;
    }
    case 'stopped':
      return 'Stopped taking';
    case 'resumed':
      return 'Taken again';
    case 'deleted':
      return 'Deleted';
    case 'restored':
      return 'Delete undone';
    case 'assigned':
      return `Moved to ${who(h.person_id)}`;
    default: {
      const unhandled: never = h.kind;
      return String(unhandled);
    }
  }
}

/** "12 Nov 2026, 14:05" in the tablet's own language and time zone. */
export const historyTime = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
