import { defineProblem } from '../../platform/http/problems';

export const NP = {
  emailTaken: defineProblem(
    'notification-email-taken',
    409,
    'The address belongs to someone else',
    'Another person has already verified this e-mail address for their notifications. Use an address of your own.',
  ),
  emailUnavailable: defineProblem(
    'notification-email-unavailable',
    409,
    'This platform does not send e-mail',
    'No mail relay is configured, so notifications are shown only in the platform.',
  ),
  verificationInvalid: defineProblem(
    'notification-verification-invalid',
    400,
    'The verification link is not valid',
    'The link was mistyped, has already been used, or was replaced by a newer one. Ask for a new link in your notification settings.',
  ),
  verificationExpired: defineProblem(
    'notification-verification-expired',
    410,
    'The verification link has expired',
    'Verification links are valid for 48 hours. Ask for a new link in your notification settings.',
  ),
  unsubscribeInvalid: defineProblem(
    'notification-unsubscribe-invalid',
    400,
    'The unsubscribe link is not valid',
    'The link is not one the platform made (mistyped or altered). Nothing was changed; use the link in the e-mail, or change your notification settings after logging in.',
  ),
  required: defineProblem(
    'notification-required',
    409,
    'This notice cannot be switched off',
    'The law requires this notice (e.g. the convocation of a council sitting to its members).',
  ),
  bouncesOff: defineProblem(
    'notification-bounces-off',
    404,
    'Bounces are not read here',
    'This platform has no MAIL_BOUNCE_SECRET configured, so it does not take delivery status notifications.',
  ),
  bounceUnauthorized: defineProblem(
    'notification-bounce-unauthorized',
    401,
    'The bounce secret is missing or wrong',
    'Send the raw delivery status notification with Authorization: Bearer <MAIL_BOUNCE_SECRET>.',
  ),
  bounceUnreadable: defineProblem(
    'notification-bounce-unreadable',
    400,
    'The body is not an e-mail message',
    'Send the delivery status notification as it arrived (RFC 5322 message, Content-Type: message/rfc822).',
  ),
};
