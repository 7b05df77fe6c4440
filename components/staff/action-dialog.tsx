'use client';

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { Button } from '~/components/ui/button';
import { Dialog } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';

/**
 * Every admin action goes through this: the action's own fields, a required reason (kept in the audit log),
 * a plain sentence of what will happen, and a confirm button that names the action. Errors stay in the dialog.
 */
export function ActionDialog({
  open,
  onClose,
  title,
  summary,
  confirmLabel,
  danger,
  pending,
  error,
  disabled,
  onConfirm,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  summary: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  disabled?: boolean;
  onConfirm: (reason: string, form: FormData) => void;
  children?: ReactNode;
}) {
  const id = useId();
  // Once the user edits after a refusal, the old message no longer describes what they see.
  const [edited, setEdited] = useState(false);
  const errors = edited ? {} : fieldErrors(error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setEdited(false);
    const form = new FormData(e.currentTarget);
    onConfirm(String(form.get('reason') ?? ''), form);
  };
  const otherError = error && !edited && Object.keys(fieldErrors(error)).length === 0 ? errorMessage(error) : null;
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <form noValidate onSubmit={submit} onChange={() => setEdited(true)} className="space-y-4 px-6 py-5">
        {children}
        <Field id={`${id}-reason`} label="Reason" error={errors.reason} hint="Required. Kept in the audit log and shown in the tenant’s timeline.">
          <textarea
            id={`${id}-reason`}
            name="reason"
            rows={2}
            required
            aria-invalid={!!errors.reason || undefined}
            className={`block w-full rounded-md bg-white px-3 py-2 text-sm text-slate-900 outline-1 -outline-offset-1 placeholder:text-slate-400 focus:outline-2 focus:-outline-offset-2 ${
              errors.reason ? 'outline-red-400' : 'outline-slate-300 focus:outline-indigo-600'
            }`}
            placeholder="e.g. Ticket #4821: outage on March 3"
          />
        </Field>
        <div className={`rounded-lg px-4 py-3 text-sm ${danger ? 'bg-red-50 text-red-900' : 'bg-slate-50 text-slate-800'}`} data-testid="action-summary">
          {summary}
        </div>
        {otherError && (
          <p role="alert" className="text-sm text-red-600">
            {otherError}
          </p>
        )}
        <div className="flex justify-end gap-3 pt-1">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} pending={pending} disabled={disabled}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
