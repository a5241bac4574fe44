import { ComingSoonPage } from '@/components/coming-soon-page';

export default function Page() {
  return <ComingSoonPage titleKey="metrics.title" />;
}
