'use client';
// Signing out bumps the user's sessionVersion on the server (next-auth's signOut event), which ends
// every browser's sign-in; the dialog says so before it happens.
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

interface Labels {
  trigger: string;
  title: string;
  description: string;
  confirm: string;
  cancel: string;
  close: string;
}

export function SignOutDialog({ labels }: { labels: Labels }) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  return (
    <>
      <Button variant="secondary" size="sm" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {labels.trigger}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={labels.title} description={labels.description} closeLabel={labels.close}>
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" data-autofocus onClick={() => setOpen(false)}>
            {labels.cancel}
          </Button>
          <Button
            variant="danger"
            pending={pending}
            onClick={() => {
              setPending(true);
              void signOut({ callbackUrl: '/login' });
            }}
          >
            {labels.confirm}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
