import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Page } from '../components/Page';
import { useFormStyles } from '../components/forms';
import { routeHash } from '../routing';

export function NotFoundPage(): ReactNode {
  const styles = useFormStyles();
  return (
    <Page title="Page not found">
      <p className={styles.lead}>
        There is nothing at this address. Go to your <Link href={routeHash({ name: 'inbox' })}>inbox</Link>.
      </p>
    </Page>
  );
}
