import { Button, Link, makeStaticStyles, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { routeHash } from '../routing';

const useGlobalStyles = makeStaticStyles({
  body: { margin: 0 },
});

const useStyles = makeStyles({
  shell: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    top: 'auto',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalS, zIndex: 10 },
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  navLink: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand },
  },
  who: { overflowWrap: 'anywhere', fontSize: tokens.fontSizeBase200 },
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '880px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalL}`,
    ':focus': { outline: 'none' },
  },
  footer: {
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    textAlign: 'center',
  },
});

/** Banner, navigation, main landmark and footer around every page. */
export function Shell({
  address,
  onSignOut,
  children,
}: {
  address: string | undefined;
  onSignOut: () => void;
  children: ReactNode;
}): ReactNode {
  useGlobalStyles();
  const styles = useStyles();
  return (
    <div className={styles.shell}>
      <a
        className={styles.skip}
        href="#main"
        onClick={(e) => {
          // The hash holds the route: move focus instead of navigating.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className={styles.header}>
        <span className={styles.brand}>Secure messages</span>
        {address === undefined ? null : (
          <nav aria-label="Main" className={styles.nav}>
            <Link className={styles.navLink} href={routeHash({ name: 'inbox' })}>
              Inbox
            </Link>
            <Link className={styles.navLink} href={routeHash({ name: 'new' })}>
              New message
            </Link>
            <span className={styles.who}>Signed in as {address}</span>
            <Button size="small" onClick={onSignOut}>
              Sign out
            </Button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
      <footer className={styles.footer}>
        Messages here are encrypted. We will never ask for your password by e-mail or phone.
      </footer>
    </div>
  );
}
