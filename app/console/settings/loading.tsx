import { PageLoading } from '~/components/ui/page-states';

export default PageLoading;
