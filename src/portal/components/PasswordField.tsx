import { Button, Field, Input, type FieldProps } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { PASSWORD_MAX } from '../../shared/password-rules';

export interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  hint?: FieldProps['hint'];
  error?: string | undefined;
}

/** A password input with a show/hide toggle; no paste blocking, no composition rules. */
export function PasswordField({
  label,
  value,
  onChange,
  autoComplete,
  hint,
  error,
}: PasswordFieldProps): ReactNode {
  const [shown, setShown] = useState(false);
  return (
    <Field
      label={label}
      hint={hint}
      validationMessage={error}
      validationState={error === undefined ? 'none' : 'error'}
      required
    >
      <Input
        type={shown ? 'text' : 'password'}
        value={value}
        autoComplete={autoComplete}
        maxLength={PASSWORD_MAX * 2}
        spellCheck={false}
        autoCapitalize="off"
        onChange={(_e, data) => {
          onChange(data.value);
        }}
        contentAfter={
          <Button
            appearance="transparent"
            size="small"
            aria-pressed={shown}
            aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
            onClick={() => {
              setShown((s) => !s);
            }}
          >
            {shown ? 'Hide' : 'Show'}
          </Button>
        }
      />
    </Field>
  );
}
