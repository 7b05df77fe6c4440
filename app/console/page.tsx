import { redirect } from 'next/navigation';
import { consoleHref } from '~/lib/console-href';
import { getConsoleContext } from '~/server/console';

export default async function ConsoleHome() {
  const { org } = await getConsoleContext();
  redirect(consoleHref(org.slug, '/deployments'));
}
