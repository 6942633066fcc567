import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { frameDocument, sanitiseMessageHtml } from '../sanitise/sanitise';
import { Notice } from './Notices';

const useStyles = makeStyles({
  frame: {
    display: 'block',
    width: '100%',
    minHeight: '60px',
    border: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  text: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    margin: 0,
    fontFamily: 'inherit',
    fontSize: tokens.fontSizeBase400,
  },
  imagesBar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/**
 * A message's HTML, sanitised, in a sandboxed frame: no scripts can run there
 * (no allow-scripts, and the page's CSP applies to srcdoc as well), its styles
 * cannot reach the portal, links open in a new tab outside the sandbox.
 * allow-same-origin lets the portal measure the frame's height; without
 * allow-scripts it gives the frame's content nothing to run with.
 */
function HtmlBody({ html, label }: { html: string; label: string }): ReactNode {
  const styles = useStyles();
  const [showImages, setShowImages] = useState(false);
  const clean = useMemo(
    () => sanitiseMessageHtml(html, { showRemoteImages: showImages }),
    [html, showImages],
  );
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(80);

  const measure = useCallback(() => {
    const doc = frame.current?.contentDocument;
    if (doc?.body == null) return;
    // The body's own height (its padding stops margins collapsing through it), plus room for a
    // horizontal scroll bar when a wide table overflows; scrollHeight never shrinks below the frame.
    const wide = doc.documentElement.scrollWidth > doc.documentElement.clientWidth;
    setHeight(Math.max(40, Math.ceil(doc.body.getBoundingClientRect().height) + (wide ? 18 : 2)));
  }, []);

  useEffect(() => {
    const el = frame.current;
    if (el === null) return undefined;
    let observer: ResizeObserver | undefined;
    const onLoad = (): void => {
      measure();
      const doc = el.contentDocument;
      if (doc === null) return;
      // Images arriving later change the height; load events do not bubble, so listen in capture.
      doc.addEventListener('load', measure, true);
      observer?.disconnect();
      observer = new ResizeObserver(measure);
      observer.observe(doc.body);
    };
    el.addEventListener('load', onLoad);
    window.addEventListener('resize', measure);
    return () => {
      el.removeEventListener('load', onLoad);
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, [measure, clean.html]);

  return (
    <>
      {clean.blockedImages > 0 ? (
        <Notice intent="info">
          <span className={styles.imagesBar}>
            {clean.blockedImages === 1
              ? '1 image from the internet is not shown, so the sender cannot tell when you open this message.'
              : `${clean.blockedImages} images from the internet are not shown, so the sender cannot tell when you open this message.`}
            <Button
              size="small"
              onClick={() => {
                setShowImages(true);
              }}
            >
              Show images
            </Button>
          </span>
        </Notice>
      ) : null}
      <iframe
        ref={frame}
        className={styles.frame}
        title={label}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={frameDocument(clean.html)}
        style={{ height: `${height}px` }}
      />
    </>
  );
}

/** The body of one message: sanitised HTML in a frame, or plain text as text. */
export function MessageBody({
  html,
  text,
  label,
}: {
  html?: string | undefined;
  text?: string | undefined;
  label: string;
}): ReactNode {
  const styles = useStyles();
  if (html !== undefined && html.trim() !== '') return <HtmlBody html={html} label={label} />;
  return <pre className={styles.text}>{text ?? ''}</pre>;
}
