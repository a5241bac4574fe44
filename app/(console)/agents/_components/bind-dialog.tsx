'use client';
// Binding an agent's openid, three ways: a one-time QR code the agent scans, a one-time code the
// agent sends, or typing it in. While a code is out, the dialog asks every 2 s whether it was used,
// so it says "bound" by itself; it stops asking when closed or when the code expires.
import { useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { ActionForm } from '@/components/action-form';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import type { FormAction } from '@/components/ui/form';
import { Input } from '@/components/ui/input';
import { InlineNotice } from '@/components/ui/notice';
import { Tabs } from '@/components/ui/tabs';
import { bindingStateAction, offerBindingAction, type BindingOfferView } from '../actions';
import type { Locale } from '@/lib/i18n/format';
import { intlLocale } from '@/lib/i18n/intl';

export type BindLabels = Record<
  | 'bind'
  | 'change'
  | 'title'
  | 'intro'
  | 'qr'
  | 'code'
  | 'makeQr'
  | 'makeCode'
  | 'typed'
  | 'qrHelp'
  | 'qrAlt'
  | 'codeHelp'
  | 'done'
  | 'expired'
  | 'makeNew'
  | 'waiting'
  | 'openid'
  | 'openidHelp'
  | 'confirmUnseen'
  | 'save'
  | 'unbound'
  | 'close',
  string
>;

const POLL_MS = 2000;

/** How the dialog writes a code's expiry: in the service's zone, as the page around it does. */
export interface BindClock {
  locale: Locale;
  timeZone: string;
}

export function BindDialog({
  agentId,
  labels,
  clock,
  setOpenid,
  currentOpenid,
  unbind,
}: {
  agentId: number;
  labels: BindLabels;
  clock: BindClock;
  setOpenid: FormAction;
  currentOpenid: string | null;
  /** The unbind form, when the agent has an openid. */
  unbind?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(0);
  // The page re-renders without the unbind form once the openid is gone, and its message went with
  // it: said here instead, and the typed openid's box starts again from what is stored.
  const [shownOpenid, setShownOpenid] = useState(currentOpenid);
  const [justUnbound, setJustUnbound] = useState(false);
  if (currentOpenid !== shownOpenid) {
    setShownOpenid(currentOpenid);
    setJustUnbound(shownOpenid !== null && currentOpenid === null);
  }
  return (
    <>
      <Button
        size="sm"
        aria-haspopup="dialog"
        onClick={() => {
          setOpened((n) => n + 1);
          setJustUnbound(false);
          setOpen(true);
        }}
      >
        {currentOpenid ? labels.change : labels.bind}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={labels.title} description={labels.intro} closeLabel={labels.close} className="max-w-lg">
        {open && (
          <Tabs
            key={opened}
            label={labels.title}
            items={[
              { id: 'qr', label: labels.qr, content: <Offer kind="qr" agentId={agentId} labels={labels} clock={clock} /> },
              { id: 'code', label: labels.code, content: <Offer kind="code" agentId={agentId} labels={labels} clock={clock} /> },
              {
                id: 'typed',
                label: labels.typed,
                content: (
                  <div className="space-y-4">
                    {/* Started afresh once unbound, so the save's earlier "saved" does not stand beside it. */}
                    <ActionForm key={justUnbound ? 'unbound' : 'bound'} action={setOpenid} submitLabel={labels.save} submitVariant="primary" layout="stacked" keep={['openid']} noValidate>
                      <input type="hidden" name="agentId" value={agentId} />
                      <Field label={labels.openid} name="openid" help={labels.openidHelp}>
                        <Input key={currentOpenid ?? ''} name="openid" autoComplete="off" spellCheck={false} defaultValue={currentOpenid ?? undefined} className="font-mono" />
                      </Field>
                      <Checkbox name="confirmUnseen" value="true" label={labels.confirmUnseen} className="mt-3" />
                    </ActionForm>
                    {unbind}
                    {justUnbound && (
                      <p role="status" className="text-sm text-brand-700">
                        {labels.unbound}
                      </p>
                    )}
                  </div>
                ),
              },
            ]}
          />
        )}
      </Dialog>
    </>
  );
}

type OfferState = { status: 'idle' } | { status: 'error'; message: string } | { status: 'out'; offer: BindingOfferView; state: 'waiting' | 'bound' | 'expired' };

/** One QR code or code: made on request, then watched until used, expired or the dialog closes. */
function Offer({ kind, agentId, labels, clock }: { kind: 'qr' | 'code'; agentId: number; labels: BindLabels; clock: BindClock }) {
  const router = useRouter();
  const [state, setState] = useState<OfferState>({ status: 'idle' });
  const [busy, setBusy] = useState(false);

  async function make() {
    setBusy(true);
    const result = await offerBindingAction(kind, agentId);
    setBusy(false);
    setState(result.ok ? { status: 'out', offer: result.value, state: 'waiting' } : { status: 'error', message: result.message });
  }

  const watching = state.status === 'out' && state.state === 'waiting' ? state.offer.bindingId : undefined;
  useEffect(() => {
    if (watching === undefined) return;
    const timer = setInterval(() => {
      void bindingStateAction(watching).then((result) => {
        if (!result.ok || result.value === 'waiting') return;
        setState((s) => (s.status === 'out' ? { ...s, state: result.value } : s));
        if (result.value === 'bound') router.refresh();
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [watching, router]);

  if (state.status !== 'out') {
    return (
      <div className="space-y-3">
        <Button variant="primary" pending={busy} onClick={() => void make()}>
          {kind === 'qr' ? labels.makeQr : labels.makeCode}
        </Button>
        {state.status === 'error' && <InlineNotice tone="error">{state.message}</InlineNotice>}
      </div>
    );
  }
  const { offer } = state;
  const expires = new Intl.DateTimeFormat(intlLocale(clock.locale), { timeStyle: 'short', timeZone: clock.timeZone }).format(new Date(offer.expiresAt));
  return (
    <div className="space-y-3" data-testid={`binding-${kind}`}>
      {kind === 'qr' ? (
        <>
          <p className="text-sm text-slate-600">{labels.qrHelp}</p>
          {/* A data URL made on the server from WeChat's QR content: the browser never calls WeChat. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={offer.qrImage} alt={labels.qrAlt} className="mx-auto size-56 rounded-md border border-slate-200 bg-white p-2" />
        </>
      ) : (
        <>
          <p className="text-sm text-slate-600">{labels.codeHelp}</p>
          <p className="rounded-md bg-slate-100 px-4 py-3 text-center font-mono text-2xl tracking-widest" data-testid="binding-code">
            绑定 {offer.code}
          </p>
        </>
      )}
      {state.state === 'waiting' && <InlineNotice tone="info">{labels.waiting.replace('{time}', expires)}</InlineNotice>}
      {state.state === 'bound' && <InlineNotice tone="success">{labels.done}</InlineNotice>}
      {state.state === 'expired' && (
        <div className="flex flex-wrap items-center gap-3">
          <InlineNotice tone="error">{labels.expired}</InlineNotice>
          <Button size="sm" onClick={() => void make()}>
            {labels.makeNew}
          </Button>
        </div>
      )}
    </div>
  );
}
