'use client';

import { PageError } from '~/components/ui/page-states';

export default PageError;
