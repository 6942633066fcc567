/**
 * The ordinary parts of a health-plan representative's mail: how it opens,
 * how it is signed, the notice at the bottom, and the two HTML shapes Outlook
 * writes (Word-generated classic Outlook and the new Outlook / web).
 */
import { escKeep } from './doc';
import type { Rng } from './rng';
import { cap, FIRST, LAST, PRACTICES, phone } from './values';

export interface Frame {
  html: boolean;
  /** `word`: classic Outlook (Word HTML); `owa`: new Outlook and Outlook on the web. */
  style: 'word' | 'owa';
}

export function frame(r: Rng, htmlShare = 0.5): Frame {
  return { html: r.chance(htmlShare), style: r.chance(0.6) ? 'word' : 'owa' };
}

/** One paragraph of plain words (escaped for HTML; entity markers kept). */
export function line(f: Frame, text: string): string {
  return lineRaw(f, f.html ? escKeep(text) : text);
}

/** One paragraph whose content is already markup (or plain text in a text body). */
export function lineRaw(f: Frame, content: string): string {
  if (!f.html) return content + '\n';
  return f.style === 'word'
    ? `<p class=MsoNormal>${content}<o:p></o:p></p>\n`
    : `<div style="font-family:Aptos,Calibri,Helvetica,sans-serif;font-size:12pt;color:rgb(0,0,0)">${content}</div>\n`;
}

export function blank(f: Frame): string {
  if (!f.html) return '\n';
  return f.style === 'word' ? '<p class=MsoNormal><o:p>&nbsp;</o:p></p>\n' : '<div><br></div>\n';
}

export function lines(f: Frame, texts: readonly string[]): string {
  return texts.map((t) => line(f, t)).join('');
}

const WORD_HEAD = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15 (filtered medium)">
<style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:Calibri;
	panose-1:2 15 5 2 2 2 4 3 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0in;
	font-size:11.0pt;
	font-family:"Calibri",sans-serif;
	mso-ligatures:standardcontextual;}
span.EmailStyle17
	{mso-style-type:personal-compose;
	font-family:"Calibri",sans-serif;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-size:11.0pt;}
@page WordSection1
	{size:8.5in 11.0in;
	margin:1.0in 1.0in 1.0in 1.0in;}
div.WordSection1
	{page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]-->
</head>
<body lang=EN-US link="#0563C1" vlink="#954F72" style='word-wrap:break-word'>
<div class=WordSection1>
`;

const OWA_HEAD = `<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>
</head>
<body dir="ltr">
<div class="elementToProof">
`;

export function wrap(f: Frame, inner: string): string {
  if (!f.html) return inner;
  return f.style === 'word'
    ? `${WORD_HEAD}${inner}</div>\n</body>\n</html>\n`
    : `${OWA_HEAD}${inner}</div>\n</body>\n</html>`;
}

export interface Sender {
  name: string;
  title: string;
  dept: string;
  plan: string;
  phone: string;
  fax: string;
  email: string;
}

const TITLES = [
  'Provider Relations Representative',
  'Claims Resolution Specialist',
  'Care Coordinator, RN',
  'Utilization Management Nurse',
  'Enrollment Specialist',
  'Provider Network Consultant',
  'Appeals & Grievances Analyst',
  'Member Services Supervisor',
  'Pharmacy Technician',
  'Credentialing Coordinator',
];
const DEPTS = [
  'Provider Services',
  'Claims Department',
  'Care Management',
  'Utilization Management',
  'Member Services',
  'Network Management',
  'Appeals and Grievances',
  'Pharmacy Services',
  'Enrollment & Eligibility',
  'Credentialing',
];
const PLANS = [
  'PHCPN Health Plan',
  'SunState Health',
  'Desert Care Advantage',
  'Blue Mesa HMO',
  'Canyon Community Plan',
];

export function sender(r: Rng): Sender {
  const first = cap(r.pick(FIRST));
  const last = cap(r.pick(LAST));
  const plan = r.pick(PLANS);
  return {
    name: `${first} ${last}`,
    title: r.pick(TITLES),
    dept: r.pick(DEPTS),
    plan,
    phone: phone(r),
    fax: phone(r),
    email: `${first[0]!.toLowerCase()}${last.toLowerCase().replace(/[^a-z]/g, '')}@${plan.toLowerCase().replace(/[^a-z]/g, '')}.example`,
  };
}

export function recipientName(r: Rng): string {
  return r.pick([
    cap(r.pick(FIRST)),
    `Dr. ${cap(r.pick(LAST))}`,
    `${cap(r.pick(FIRST))} ${cap(r.pick(LAST))}`,
    'team',
    'all',
    `${cap(r.pick(PRACTICES))} billing`,
  ]);
}

export function greeting(r: Rng, f: Frame): string {
  const who = recipientName(r);
  return line(
    f,
    r.pick([
      `Hi ${who},`,
      `Hello ${who},`,
      `Good morning ${who},`,
      `Good afternoon,`,
      `${who},`,
      `Dear ${who}:`,
      `Hi there,`,
    ]),
  );
}

export function closing(r: Rng, f: Frame, s: Sender): string {
  const parts = [
    r.pick([
      'Thank you,',
      'Thanks,',
      'Regards,',
      'Best regards,',
      'Respectfully,',
      'Thank you for your help,',
      'Sincerely,',
    ]),
    s.name,
    s.title,
    `${s.dept} | ${s.plan}`,
  ];
  const contact = r.pick([
    [`Phone: ${s.phone}`, `Fax: ${s.fax}`],
    [`P ${s.phone} | F ${s.fax}`],
    [`Direct: ${s.phone}`, `Secure fax: ${s.fax}`, s.email],
    [`Tel. ${s.phone} ext. ${r.int(100, 9999)}`, `Fax ${s.fax}`],
    [`Office ${s.phone}`, `Toll free ${phone(r)}`, `Fax ${s.fax}`],
  ]);
  if (!f.html) return '\n' + [...parts, ...contact].join('\n') + '\n';
  const all = [...parts, ...contact];
  if (f.style === 'word' && r.chance(0.5)) {
    return (
      blank(f) +
      line(f, all[0]!) +
      lineRaw(f, `<b><span style='font-size:10.0pt;color:#1F3864'>${escKeep(all[1]!)}</span></b>`) +
      all
        .slice(2)
        .map((t) => lineRaw(f, `<span style='font-size:9.0pt;color:#595959'>${escKeep(t)}<o:p></o:p></span>`))
        .join('')
    );
  }
  return blank(f) + lines(f, all);
}

const DISCLAIMERS = [
  'CONFIDENTIALITY NOTICE: This e-mail, including any attachments, is for the sole use of the intended recipient(s) and may contain confidential and privileged information. Any unauthorized review, use, disclosure or distribution is prohibited. If you are not the intended recipient, please contact the sender by reply e-mail and destroy all copies of the original message.',
  'This message may contain protected health information (PHI) that is protected under HIPAA. If you received it in error, notify the sender at once and delete it. Do not forward.',
  'Please consider the environment before printing this e-mail.',
  'The information contained in this transmission is intended only for the addressee. Plan benefits are subject to eligibility at the time of service. Authorization is not a guarantee of payment.',
  'To report fraud, waste or abuse call the compliance hotline 1-866-555-0199 (24 hours). TTY 711.',
];

export function disclaimer(r: Rng, f: Frame): string {
  if (r.chance(0.35)) return '';
  const t = r.pick(DISCLAIMERS);
  if (!f.html) return '\n' + t + '\n';
  return blank(f) + lineRaw(f, `<span style='font-size:8.0pt;color:gray'>${escKeep(t)}</span>`);
}

/** Greeting, intro lines, the payload (already in the frame's markup), closing, signature, notice. */
export function compose(
  r: Rng,
  f: Frame,
  intro: readonly string[],
  payload: string,
  outro: readonly string[] = [],
): string {
  const s = sender(r);
  let inner = greeting(r, f) + blank(f) + lines(f, intro);
  inner += (f.html ? '' : '\n') + payload + (f.html ? '' : '\n');
  if (outro.length > 0) inner += (f.html ? blank(f) : '') + lines(f, outro);
  inner += closing(r, f, s) + disclaimer(r, f);
  return wrap(f, inner);
}

export const OUTROS = [
  'Please let me know if you need anything else.',
  'Let me know if you have any questions.',
  'Please review and call me back at your earliest convenience.',
  'Once corrected, please resubmit through the provider portal.',
  'We will update the file once we hear back from you.',
  'Please reply by end of day Friday so we can close this out.',
  'Feel free to call me directly if that is easier.',
];
