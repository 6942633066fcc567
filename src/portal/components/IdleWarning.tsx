import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { EndReason } from '../session/idle';

/** The minute's notice before automatic sign-out. */
export function IdleWarning({
  reason,
  secondsLeft,
  onStay,
  onSignOut,
}: {
  reason: EndReason;
  secondsLeft: number;
  onStay: () => void;
  onSignOut: () => void;
}): ReactNode {
  const idle = reason === 'idle';
  return (
    <Dialog open modalType="alert">
      <DialogSurface aria-describedby="idle-warning-text">
        <DialogBody>
          <DialogTitle>{idle ? 'Are you still there?' : 'Your session is ending'}</DialogTitle>
          <DialogContent id="idle-warning-text">
            {idle
              ? `To keep your messages private, you will be signed out in ${secondsLeft} seconds because there has been no activity.`
              : `A session lasts at most 8 hours. You will be signed out in ${secondsLeft} seconds; copy anything you are writing so you can paste it after signing in again.`}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onStay}>
              {idle ? 'Stay signed in' : 'Continue'}
            </Button>
            <Button appearance="secondary" onClick={onSignOut}>
              Sign out now
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
