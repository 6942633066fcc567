import { Button, Link, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState, type ReactNode } from 'react';
import type { AttachmentInfo } from '../../shared/portal-api';
import { attachmentUrl } from '../api/portal';
import { attachmentProblem, readFile, type ChosenFile } from '../files';
import { formatSize } from '../format';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    overflowWrap: 'anywhere',
  },
  size: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  heading: {
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
    margin: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalXS}`,
  },
  hidden: { display: 'none' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** A message's attachments as download links (the server sends them as attachments, decrypted). */
export function AttachmentList({
  messageId,
  attachments,
  headingId,
}: {
  messageId: string;
  attachments: AttachmentInfo[];
  headingId: string;
}): ReactNode {
  const styles = useStyles();
  if (attachments.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.heading}>
        Attachments ({attachments.length})
      </h3>
      <ul className={styles.list}>
        {attachments.map((a) => (
          <li key={a.id} className={styles.item}>
            <Link
              href={attachmentUrl(messageId, a.id)}
              download={a.name}
              aria-label={`Download ${a.name}, ${formatSize(a.size)}`}
            >
              {a.name}
            </Link>
            <span className={styles.size}>{formatSize(a.size)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Files the recipient attaches to a reply or a new message, read as base64 in the browser. */
export function AttachmentPicker({
  files,
  onChange,
  disabled,
}: {
  files: ChosenFile[];
  onChange: (files: ChosenFile[]) => void;
  disabled?: boolean;
}): ReactNode {
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [reading, setReading] = useState(false);

  const add = async (list: FileList | null): Promise<void> => {
    const chosen = Array.from(list ?? []);
    if (chosen.length === 0) return;
    const why = attachmentProblem(files, chosen);
    setProblem(why);
    if (why !== undefined) return;
    setReading(true);
    try {
      onChange([...files, ...(await Promise.all(chosen.map(readFile)))]);
    } catch (error) {
      setProblem(error instanceof Error ? `${error.message}.` : 'A file could not be read.');
    } finally {
      setReading(false);
      if (input.current !== null) input.current.value = '';
    }
  };

  return (
    <div>
      <input
        ref={input}
        type="file"
        multiple
        className={styles.hidden}
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          void add(e.currentTarget.files);
        }}
      />
      <Button
        disabled={disabled === true || reading}
        onClick={() => {
          input.current?.click();
        }}
      >
        {reading ? 'Reading files…' : 'Attach files'}
      </Button>
      {problem === undefined ? null : (
        <p role="alert" className={styles.error}>
          {problem}
        </p>
      )}
      {files.length === 0 ? null : (
        <ul className={styles.list} aria-label="Attached files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} className={styles.item}>
              <span>{f.name}</span>
              <span className={styles.size}>{formatSize(f.size)}</span>
              <Button
                size="small"
                appearance="subtle"
                disabled={disabled}
                aria-label={`Remove ${f.name}`}
                onClick={() => {
                  onChange(files.filter((_, j) => j !== i));
                }}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
