import { makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';

const useStyles = makeStyles({
  heading: {
    margin: `0 0 ${tokens.spacingVerticalM}`,
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    overflowWrap: 'anywhere',
    // Focus arrives here only from code (tabIndex -1), to start reading at the top: no ring.
    ':focus': { outline: 'none' },
  },
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/**
 * One page: its heading takes focus when the page opens, so keyboard and
 * screen-reader users start at the top of what changed, and the document title
 * follows.
 */
export function Page({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  const styles = useStyles();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = `${title} · Secure messages`;
  }, [title]);
  return (
    <div className={styles.page}>
      <h1 ref={heading} tabIndex={-1} className={styles.heading}>
        {title}
      </h1>
      {children}
    </div>
  );
}
