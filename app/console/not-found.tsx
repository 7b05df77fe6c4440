import { NotFoundCard } from '~/components/ui/not-found-page';

/** Inside an organization: the console's chrome stays, the way home is the org's deployments. */
export default function ConsoleNotFound() {
  return <NotFoundCard home="/console/deployments" homeLabel="Back to deployments" />;
}
