/**
 * The shape of the health wording the prose corpus is written from: per
 * category and language, terms and sentence patterns.
 *
 * Pattern language (filled by fill.ts):
 * - `<a|b|c>` picks one alternative (may be empty: `<|soon>`).
 * - `{P}` the person, `{P's}` the person's (English); in pronoun mode these
 *   become "she", "her", "the member"...; `{he} {He} {his} {His} {him}` agree
 *   with the person. Spanish: `{o}` o/a, `{el} {El}` el/la, `{lo}` lo/la.
 * - `{X}` a term of the category with its article, `{X0}` without;
 *   `{X.sub}` / `{X0.sub}` from a named sub-list; `{X:cat}` / `{X0:cat}` a
 *   term of another category. All are labelled as health information.
 * - `[text]` labels text as health information of the pattern's category,
 *   `[cat:text]` of another one.
 * - `{dr}` a clinician ("Dr. Shah"; Spanish `{eldr}` "la Dra. Ruiz"), `{hosp}`
 *   a hospital, `{date} {day} {month} {year}`.
 * - A pattern that starts with `F:` or `M:` fits only a woman or a man.
 *
 * Labelling rule: one category per span. A phrase that is both a generic kind
 * (test, medication, care) and a sensitive one (HIV, mental health, substance
 * use, reproductive, genetic, cancer) takes the sensitive one: "HIV viral
 * load" is hiv-sti, "pregnancy test" reproductive, "Suboxone" substance-use.
 */
import type { HealthCategory } from '../../../src/shared/entities';

export interface Term {
  n: string;
  /** Indefinite article for countable terms ("a", "an", "un", "una"). */
  a?: string;
}

export interface CategoryText {
  terms: Term[];
  sub?: Record<string, Term[]>;
  /** Third-person sentences with `{P}`. */
  sentences: string[];
  /** Fragments for a list item or a table cell (no person). */
  notes: string[];
  /** Sentences written to the member themself. */
  yours: string[];
  /** The health half of a subject line ("{X0} results"). */
  subjects: string[];
}

const t = (spec: string): Term[] =>
  spec
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^(a|an|un|una) (.+)$/.exec(s);
      return m ? { a: m[1]!, n: m[2]! } : { n: s };
    });

export const EN: Record<HealthCategory, CategoryText> = {
  condition: {
    terms: t(`type 2 diabetes; diabetes; congestive heart failure; CHF; asthma; COPD; hypertension;
      chronic kidney disease; stage 3 CKD; atrial fibrillation; pneumonia; multiple sclerosis;
      Parkinson's disease; epilepsy; rheumatoid arthritis; lupus; sleep apnea; cellulitis;
      a diabetic foot ulcer; Crohn's disease; morbid obesity; dementia; Alzheimer's disease; gout;
      chronic back pain; migraines; kidney stones; heart failure; emphysema; shingles; osteoporosis`),
    sub: {
      ev: t(`a fractured hip; a stroke; a heart attack; a concussion; a broken wrist; a pulmonary embolism;
        sepsis; a hip fracture; a seizure`),
    },
    sentences: [
      '{P} was diagnosed with {X} <last week|in {month}|at {his} last visit|on {date}>.',
      "{P's} {X0} <has gotten worse|is not well controlled|is getting worse> and {he} <needs|will need> a follow-up with {dr}.",
      '{P} has {X} and <is asking|asked> whether the plan covers <a nutritionist|a second opinion|the specialist visit|a home blood pressure cuff>.',
      'Just a heads up that {P} <was recently diagnosed with|is being treated for|has a history of> {X}.',
      "Can you confirm whether {P's} {X0} is <documented|on the problem list|in the chart> from the last visit?",
      'Per {dr}, {P} is <being managed|followed> for {X}<, and the care plan was updated| and is stable for now>.',
      '{P} <(born {year})|> has {X} and <missed|rescheduled> {his} last <two|three> appointments.',
      'We received a referral for {P} for {X}.',
      "{P's} diagnosis of {X0} <was confirmed|has been confirmed> by {dr} <on {date}|this week>.",
      'Is {P} still <being seen|followed by {dr}> for {X}?',
      '{P} <fell at home and|> was found to have {X.ev} <last night|on {date}>.',
      '{P} <is recovering from|was hospitalized for|had> {X.ev} <last week|on {date}> and <needs|is asking about> <rides to appointments|a walker|therapy at home>.',
      '{P} was treated for {X.ev} at {hosp} and <went home|was discharged> on {day}.',
      '{P} lives alone and has {X}; {he} <could use|would benefit from> a care manager.',
      'Regarding {P}: {he} <reports|has> {X} <that is not improving|and is short of breath at night>.',
    ],
    notes: [
      '{X0}',
      'dx {X0}',
      'new diagnosis: {X0}',
      '{X0}, uncontrolled',
      'hx of {X0}',
      '{X0} - needs follow-up',
      'f/u for {X0}',
    ],
    yours: [
      'Your doctor let us know you were recently diagnosed with {X}. Our care team can help you manage it.',
      'We received the referral for your {X0} care with {dr}.',
      'As part of our program for members with {X0}, a nurse will call you this week about your care plan.',
    ],
    subjects: ['{X0}', '{X0} follow-up', 'new dx {X0}', '{X0} care plan'],
  },
  procedure: {
    terms: t(`a knee replacement; a total hip replacement; an MRI of the lumbar spine; an MRI; a colonoscopy;
      a CT scan; a cardiac catheterization; gallbladder removal; cataract surgery; a spinal fusion;
      bariatric surgery; an echocardiogram; an appendectomy; a rotator cuff repair; a carpal tunnel release;
      a hernia repair; an upper endoscopy; a tonsillectomy; a pacemaker placement; a cardiac ablation;
      an ACL reconstruction; a lumbar epidural injection; dialysis access surgery; a bunionectomy`),
    sentences: [
      '{P} is scheduled for {X} on {date} at {hosp}.',
      "{P's} {X0} <was approved|has been authorized|was denied|is pending review> <for {date}|>.",
      '{P} had {X} <on {date}|last {day}> and is recovering <well|at home|slowly>.',
      "The prior auth for {P's} {X0} is still pending; {dr} <sent|faxed> the clinicals <today|yesterday>.",
      'Please <let|tell> {P} know {his} {X0} <has been moved to|is now on> {day}.',
      'Does {P} need a referral for {X}?',
      '{P} <cancelled|rescheduled> {his} {X0} <because of a ride issue|because of work|>.',
      "We need the operative report for {P's} {X0} <from {date}|> to process the claim.",
      '{dr} is requesting {X} for {P} <as soon as possible|next month>.',
      '{P} <asked|wants to know> how much {he} will owe for {X}.',
      '{P} is <nervous|anxious> about {his} {X0} <on {day}|next week> and asked for a call back.',
      "Who is the surgeon for {P's} {X0}? The facility is {hosp}.",
    ],
    notes: [
      '{X0} on {date}',
      '{X0} - approved',
      '{X0} pending PA',
      's/p {X0}',
      '{X0} rescheduled',
      'needs {X0}',
    ],
    yours: [
      'Your prior authorization for {X} has been approved for {date}.',
      'Your {X0} with {dr} is confirmed for {day}. Please arrive 30 minutes early.',
      'We reviewed the request for your {X0}; we need one more note from {dr} before we can decide.',
    ],
    subjects: ['{X0}', '{X0} auth', 'PA - {X0}', '{X0} scheduling'],
  },
  medication: {
    terms: t(`insulin; Ozempic; metformin; Eliquis; lisinopril; Humira; albuterol; prednisone;
      warfarin; Jardiance; Trulicity; Lantus; Entresto; Xarelto; Mounjaro; atorvastatin; Enbrel; gabapentin;
      Dupixent; Farxiga; levothyroxine; Otezla; Stelara; amlodipine; Synjardy; Victoza`),
    sentences: [
      '{P} <was started on|is now taking|has been prescribed> {X} <per {dr}|as of last week|>.',
      "{P's} {X0} refill was <rejected|denied> at the pharmacy <as too soon|because it needs a PA|>.",
      'Can we get an override so {P} can pick up {his} {X0} <before the holiday|today|this weekend>?',
      '{P} ran out of {his} {X0} <on {day}|two days ago> and <cannot afford|can not get> the next fill.',
      "The prior authorization for {P's} {X0} <was approved|expires> <through {month}|on {date}>.",
      '{P} <stopped taking|discontinued> {X0} because of <side effects|the cost|nausea>.',
      'Please <call|reach out to> {P} about switching from {X0} to {X0.alt}.',
      "{dr} increased {P's} {X0} dose <to twice daily|last week>.",
      'Is {P} still on {X0}? The fill history shows the last fill in {month}.',
      '{P} needs a new prescription for {X0} sent to <CVS|Walgreens|the mail-order pharmacy>.',
      "The pharmacy says {P's} {X0} is non-formulary; {dr} can request an exception.",
      '{P} asked <us|me> to check whether {X0} is covered <under Part D|on {his} plan|>.',
    ],
    sub: {
      alt: t('Trulicity; Mounjaro; Jardiance; Xarelto; Basaglar; Rybelsus; Eliquis; Farxiga'),
    },
    notes: [
      '{X0} refill',
      'PA for {X0}',
      'started {X0}',
      '{X0} denied at pharmacy',
      'on {X0}',
      '{X0} override',
    ],
    yours: [
      'Your {X0} refill was approved and can be picked up today.',
      'We approved your request for {X0} through {month}.',
      'Your pharmacy let us know your {X0} needs a prior authorization; we have contacted {dr}.',
    ],
    subjects: ['{X0} PA', '{X0} refill', '{X0} override'],
  },
  test: {
    terms: t(`an A1c; a hemoglobin A1c; a lipid panel; a CBC; a bone density scan; a sleep study;
      a stress test; a TB test; blood cultures; a urinalysis; a PSA; kidney function labs; a thyroid panel;
      a mammogram; lab work; blood work; a metabolic panel; a strep test; a COVID test; a urine culture;
      allergy testing; a Holter monitor; a liver panel`),
    sentences: [
      "{P's} {X0} came back <abnormal|elevated|high|normal> <and {dr} wants to see {him}|>.",
      '{P} <had|completed> {X} <on {date}|last week>; the results <are attached|are in the portal|are pending>.',
      "Can you <send|fax> over {P's} {X0} from {date}?",
      "{P's} most recent [A1c] was <8.9|9.4|11.2|10.1>%, up from <7.2|7.8|8.1>% in {month}.",
      '{P} is overdue for {his} {X0}.',
      "We still need {P's} {X0} to close the <care gap|HEDIS gap>.",
      '{dr} ordered {X} for {P} <after the ER visit|this week|>.',
      '{P} <asked|wants to know> whether {his} {X0} <is back|was normal>.',
      "The lab <flagged|called about> {P's} {X0} as critical.",
      'Did {P} ever <complete|get> the {X0} {dr} ordered?',
      '{P} <refused|declined> the {X0} <at the visit|on {date}> and needs to reschedule.',
      "{P's} [biopsy results] <are back|came back benign|are still pending>.",
    ],
    notes: [
      '{X0} abnormal',
      '{X0} pending',
      'needs {X0}',
      '{X0} done {date}',
      '{X0} results back',
      '[A1c] 9.1%',
    ],
    yours: [
      'Your {X0} results are ready; please call {dr} to review them.',
      'Our records show you are due for {X}. You can schedule it at any in-network lab.',
    ],
    subjects: ['{X0} results', 'labs - {X0}', '{X0} needed'],
  },
  care: {
    terms: t(`home health visits; physical therapy; a skilled nursing stay; home oxygen; a power wheelchair;
      inpatient rehab; ambulance transport; wound care visits; an inpatient stay; an observation stay;
      a hospital bed; occupational therapy; speech therapy; an urgent care visit; private duty nursing;
      a CPAP machine; infusion therapy at home`),
    sentences: [
      '{P} was [admitted to {hosp}] <last night|on {date}|this morning> <with [condition:chest pain]|for observation|>.',
      '{P} was [discharged home] <on {date}|yesterday> <with home health|and needs a follow-up visit within 7 days>.',
      '{P} <went to|was seen in> [the ER] <twice this month|on {date}|over the weekend>.',
      '{P} has been [referred to hospice] and the family <is asking|asked> about <the benefit|next steps>.',
      "The prior auth for {P's} {X0} <was approved|is pending|was denied> <through {month}|>.",
      "The claim for {P's} [<office visit|ER visit|ambulance ride|urgent care visit>] on {date} <was denied|is pending|was paid>.",
      '{P} is [in the ICU] at {hosp} <since {day}|>.',
      '{P} was [readmitted to {hosp}] <three days after discharge|on {date}>.',
      '{P} <needs|is requesting> {X} <after {his} surgery|at home|>.',
      '{P} [is in a skilled nursing facility] <for rehab|after {his} fall>.',
      'Can you tell me if {P} [was seen at urgent care] <last weekend|on {date}>?',
      '{P} was [transferred to {hosp}] <by ambulance|overnight> and is <stable|being monitored>.',
      "We are working on {P's} [discharge plan] from {hosp}; {he} will need {X}.",
    ],
    notes: [
      '[admitted] {date}',
      '[discharged home] {date}',
      '[ER visit] {date}',
      '[hospice]',
      '{X0} approved',
      '[inpatient at {hosp}]',
      '[SNF] stay',
      '{X0} - pending auth',
    ],
    yours: [
      'Our records show you were [discharged from {hosp}] on {date}; a nurse will call you this week.',
      'Your {X0} has been approved through {month}.',
      'We are sorry to hear about your [hospital stay]; your care manager will reach out to set up follow-up care.',
    ],
    subjects: ['[admission] {date}', '[discharge] follow-up', '[ER visit]', '{X0} auth'],
  },
  'hiv-sti': {
    terms: t(`HIV; syphilis; chlamydia; gonorrhea; genital herpes; HPV; trichomoniasis`),
    sub: {
      med: t('PrEP; Biktarvy; Descovy; Truvada; Genvoya; Cabenuva'),
      test: t('an HIV test; an HIV viral load; an RPR; an STI panel; a CD4 count; an HIV screen'),
    },
    sentences: [
      "{P's} [HIV viral load] came back <detectable|undetectable|at 12,000 copies>; please call {him} to schedule follow-up.",
      '{P} tested positive for {X} <at {his} last visit|on {date}|at the clinic>.',
      '{P} <has been on {X.med} since {month}|was started on {X.med} by {dr}|is on {X.med}>.',
      '{P} <needs|is due for> <treatment for|a follow-up test for> {X0}<, and asked that we not call {his} home number|>.',
      '{P} was treated for {X0} <at the clinic|by {dr}> <last month|on {date}>.',
      '{P} is asking if {his} {X0.med} will be covered without a PA.',
      "{P's} {X0.test} results are <back|ready>; {dr} wants to review them with {him} in person.",
      'Can you confirm {P} received the injection for [syphilis] on {date}?',
      '{P} <disclosed|told me> that {he} is [HIV positive] and <needs|wants> a new ID doctor.',
      "{P's} {X0.med} refill <was rejected|did not go through> and {he} cannot miss doses.",
    ],
    notes: [
      '[HIV+]',
      '{X0} tx',
      '{X0.med} refill',
      '{X0} positive',
      '{X0.test} pending',
      '[HIV] - new to care',
    ],
    yours: [
      'Your {X0.test} results are ready. Please call {dr} to go over them.',
      'Your {X0.med} prescription was approved for 90 days.',
    ],
    subjects: ['{X0.test} results', '{X0.med} PA', '[HIV] results'],
  },
  'mental-health': {
    terms: t(`depression; major depressive disorder; bipolar disorder; schizophrenia; PTSD;
      generalized anxiety disorder; panic disorder; anorexia; bulimia; OCD;
      schizoaffective disorder; borderline personality disorder; an eating disorder; severe anxiety`),
    sub: {
      med: t('Seroquel; lithium; Abilify; Zoloft; Lexapro; Invega Sustenna; clozapine; Latuda; Wellbutrin'),
    },
    sentences: [
      'Please let {P} know {his} [psychiatric evaluation] for {X0} is scheduled for {day}.',
      '{P} was placed on [a psychiatric hold] at {hosp} <last night|over the weekend|on {date}>.',
      '{P} <has been|is being> treated for {X} <and|but> missed {his} last <two|> [therapy] appointments.',
      '{P} disclosed [suicidal ideation] <during the call|to the care manager> <today|this morning>; we <did a warm transfer to|connected {him} with> the crisis line.',
      "{P's} {X0.med} <was changed|needs a refill> and {he} is worried about running out.",
      '{P} is looking for a therapist who treats {X}.',
      "{dr} says {P's} {X0} is <stable|worse since the move|improving>.",
      '{P} was [admitted to the behavioral health unit] at {hosp} for {X}.',
      '{P} needs a PA for {X0.med} <for {X0}|>.',
      '{P} was [put on a 5150 hold] <over the weekend|on {date}> and is still at {hosp}.',
      '{P} <was diagnosed with|lives with> {X} and is asking about <intensive outpatient|partial hospitalization> options.',
      'Following up on {P}: the [psychiatrist] wants to see {him} weekly for {X0}.',
      'F:{P} was diagnosed with [postpartum depression] <after her delivery|in {month}> and <needs|is asking for> a therapist.',
    ],
    notes: [
      '{X0}',
      '[psych hold] {date}',
      '[inpatient psych]',
      '[SI] - crisis referral',
      '{X0.med} PA',
      'dx {X0}',
    ],
    yours: [
      'Your [therapy sessions] for {X0} have been approved through {month}.',
      'We approved the request for {X0.med}. You can pick it up at your pharmacy.',
    ],
    subjects: ['[behavioral health] follow-up', '{X0}', '[psych eval]', '{X0.med} PA'],
  },
  'substance-use': {
    terms: t(`opioid use disorder; alcohol use disorder; a substance use disorder; alcoholism;
      cocaine dependence; methamphetamine addiction`),
    sub: {
      ev: t(
        'an opioid overdose; a fentanyl overdose; alcohol withdrawal; a heroin overdose; alcohol poisoning',
      ),
      med: t('Suboxone; buprenorphine; Vivitrol; Sublocade; naltrexone; methadone maintenance'),
    },
    sentences: [
      '{P} <(born {year})|> was admitted last night for [an opioid overdose] and is now in [detox] at {hosp}.',
      '{P} <completed|left> [residential rehab] <on {date}|early> and <needs|is asking for> a step-down program.',
      '{P} <has been on {X.med} since {month}|was started on {X.med} at the clinic|is on {X.med}>.',
      '{P} had [a positive drug screen] <at {his} last visit|on {date}>.',
      "The PA for {P's} {X0.med} <was approved|is pending|expired>.",
      '{P} <relapsed last week|has relapsed after six months sober> and is asking about [detox] options.',
      '{P} has {X} and wants to enroll in [an intensive outpatient program for substance use].',
      '{P} was treated for {X.ev} at {hosp} <over the weekend|on {date}>.',
      'Please send {P} the list of [MAT providers] in {his} area.',
      '{P} <was found unresponsive|overdosed> and was given [Narcan] by EMS <on {date}|last night>.',
      "{P's} sponsor called; {he} is back in [rehab] for {X0}.",
    ],
    notes: [
      '[detox] {date}',
      '[OUD], on {X0.med}',
      '[overdose] {date}',
      '[rehab] discharge',
      '{X0}',
      '{X0.med} PA',
    ],
    yours: [
      'Your {X0.med} prior authorization is approved through {month}.',
      'Thank you for completing [detox]. Your care manager will help you find an outpatient program.',
    ],
    subjects: ['{X0.med} PA', '[detox] follow-up', '[rehab] placement', '[overdose] follow-up'],
  },
  reproductive: {
    terms: t(`birth control; contraception; infertility treatment; IVF; fertility preservation;
      family planning counseling`),
    sub: {
      f: t(`an IUD insertion; a tubal ligation; prenatal care; a prenatal ultrasound; an egg retrieval;
        a C-section; a pregnancy test; a Nexplanon implant`),
      m: t('a vasectomy; sperm banking'),
    },
    sentences: [
      'F:{P} is [<20|24|32> weeks pregnant] and <needs|wants> <a new OB|rides to {his} prenatal visits>.',
      'F:{P} had [a miscarriage] <last month|on {date}> <and is asking about follow-up care|>.',
      "{P's} [IVF] <cycle|treatment> was <denied|approved> <under the fertility benefit|>.",
      '{P} <is requesting|asked about> coverage for {X}.',
      'F:{P} <is requesting|asked about> coverage for {X.f}.',
      'M:{P} <is requesting|asked about> coverage for {X.m}.',
      'F:{P} had [an abortion] <at the clinic|on {date}> and the claim <was denied|needs a corrected code>.',
      "F:{P's} [pregnancy test] was <positive|negative> <at the clinic|on {date}>.",
      'F:{P} <[delivered her baby] by [C-section]|[delivered her baby]|[gave birth]> at {hosp} <on {date}|last night> and <is doing well|needs a postpartum visit>.',
      'F:{P} wants to switch {his} [birth control] to [an IUD].',
      'F:{P} is in [preterm labor] at {hosp}.',
      'M:{P} is scheduled for [a vasectomy] <on {date}|with {dr}>.',
      'M:{P} and his wife are asking whether [infertility treatment] is a covered benefit.',
      'F:{P} is [pregnant] <and due in {month}|with twins> and is asking about the maternity program.',
      'F:{P} <needs|is requesting> [emergency contraception] and the pharmacy <rejected|will not fill> the claim.',
    ],
    notes: [
      'F:[pregnant], due {month}',
      '[IVF] cycle 2',
      'F:[miscarriage] f/u',
      '{X0}',
      'F:[prenatal] visit',
      'F:[postpartum] visit',
    ],
    yours: [
      'Congratulations on your [pregnancy]! Our maternity program can help you get ready for your baby.',
      'Your request for {X0} was approved.',
    ],
    subjects: ['[prenatal] care', '[IVF] request', '{X0}', '[OB] follow-up'],
  },
  genetic: {
    terms: t(`a BRCA1 mutation; a BRCA2 mutation; Huntington's disease; Lynch syndrome; cystic fibrosis;
      sickle cell disease; Factor V Leiden; fragile X syndrome; hereditary hemochromatosis;
      Tay-Sachs carrier status; a BRCA mutation; spinal muscular atrophy`),
    sub: {
      test: t('genetic testing; a BRCA test; carrier screening; whole exome sequencing; a genetic panel'),
    },
    sentences: [
      '{P} tested positive for {X} <and wants to discuss options|>.',
      "{P's} {X0.test} <for {X0}|> was <approved|denied|sent to the lab>.",
      '{P} <has a family history of|was diagnosed with> {X} and <was referred for|is asking about> [genetic counseling].',
      "The results of {P's} [whole exome sequencing] are back.",
      '{P} <is a carrier for|carries the gene for> {X0}.',
      '{dr} ordered [genetic testing] for {P} because of {his} family history of {X}.',
      "{P's} [Huntington's] test came back positive; {he} asked us not to share it with {his} employer.",
      '{P} <wants|asked for> {X0.test} before <starting a family|surgery>.',
    ],
    notes: ['[BRCA2+]', '{X0.test} pending', '{X0}', '[genetic counseling] referral', '{X0} carrier'],
    yours: [
      'Your {X0.test} request was approved.',
      'The results of your [genetic testing] are ready; a genetic counselor will call you.',
    ],
    subjects: ['{X0.test}', '[genetic testing] PA', '[genetic counseling]'],
  },
  cancer: {
    terms: t(`stage II breast cancer; breast cancer; lung cancer; colon cancer; prostate cancer; leukemia;
      lymphoma; melanoma; pancreatic cancer; ovarian cancer; multiple myeloma; metastatic disease;
      stage IV lung cancer; a brain tumor; bladder cancer; thyroid cancer; non-Hodgkin lymphoma`),
    sub: {
      tx: t('chemotherapy; radiation therapy; Keytruda; tamoxifen; immunotherapy; chemo; Herceptin'),
    },
    sentences: [
      "{P's} prior auth for [chemotherapy] ({X0}) is approved through {month}.",
      '{P} was diagnosed with {X} <last month|in {month}>.',
      '{P} <starts|started> [radiation therapy] <on {date}|next week> <for {X0}|>.',
      '{P} has an [oncology consult] with {dr} <on {day}|next week>.',
      'Is {P} still getting {his} {X0.tx} at {hosp}?',
      '{P} <completed|finished> {his} last round of [chemo] <on {date}|>.',
      "{P's} biopsy confirmed {X}.",
      '{P} <had|is scheduled for> [a mastectomy] <on {date}|>.',
      '{P} is [in remission] from {X0} <and asked about a survivorship visit|>.',
      '{P} was just told {he} has {X}, so please be gentle when you call.',
      "{P's} [Keytruda] <infusions were|infusion was> <denied|approved> at {hosp}.",
    ],
    notes: [
      '{X0}',
      '[chemo] cycle 3',
      '[radiation] start {date}',
      '[oncology] f/u',
      '{X0.tx} auth',
      '{X0} - new dx',
    ],
    yours: [
      'Your {X0.tx} at {hosp} is approved through {month}.',
      'Our [oncology] nurse navigator will call you this week to help with your treatment schedule.',
    ],
    subjects: ['{X0}', '[oncology] referral', '{X0.tx} auth', '[chemo] schedule'],
  },
};
