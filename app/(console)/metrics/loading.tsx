import { PageLoading } from '../sessions/_components/page-loading';

export default function Loading() {
  return <PageLoading messageKey="metrics.loading" />;
}
