/**
 * PHI in prose: a person with health information is protected even without a
 * number; general health content, people without health content, and
 * providers' and staff's own names are not.
 */
import { describe, expect, it } from 'vitest';
import { scanMessage } from '../../src/detect/index';
import { DEFAULT_DETECTION_POLICY } from '../../src/shared/detection-policy';

function phi(subject: string, body: string, policy = DEFAULT_DETECTION_POLICY) {
  return scanMessage({ subject, body, bodyType: 'text' }, policy).findings.filter((f) => f.type === 'PHI');
}

describe('a named person with health information', () => {
  it.each([
    [
      'Jane Doe - HIV test results',
      "Jane Doe's HIV viral load came back detectable; please call her to schedule follow-up.",
    ],
    [
      'Update',
      "Robert Chen (born 1958) was admitted last night for an opioid overdose and is now in detox at St. Mary's.",
    ],
    [
      'Prior auth',
      "Maria Gonzalez's prior auth for chemotherapy (breast cancer, stage II) is approved through March.",
    ],
    [
      'Scheduling',
      'Please let Mr. Thomas Reed know his psychiatric evaluation for bipolar disorder is scheduled for Tuesday.',
    ],
    ['Seguimiento', 'La Sra. Ana Pérez Gómez fue hospitalizada por una sobredosis de opioides.'],
    ['Roster', 'Name\tDiagnosis\nGARCIA-LOPEZ, MARIA\tType 2 diabetes\n'],
    ['Question', 'Member ID W123456789 was admitted for chest pain and is in the ICU.'],
    // A form's record: the person on one line, their visit on the next.
    [
      'Visit note',
      'Patient: Harold Jenkins\nReason for visit: chest pain, ruled out MI, stress test ordered.',
    ],
    // Terms no list holds, known by their medical ending.
    ['Scheduling', 'Kevin Marsh is booked for a bunionectomy on the 14th.'],
    ['Consulta', 'El Sr. Tomás Ibarra tiene colecistitis desde marzo.'],
    // Names in the shapes rosters and mail write them.
    ['Arthritis', 'April Payne was diagnosed with rheumatoid arthritis last spring.'],
    ['Oncology', "O'BRIEN, CHARLOTTE is on treatment for multiple myeloma."],
    ['Roster', 'Lincoln, Latoya needs her Lantus refill approved.'],
    ['Rehabilitación', 'Julio Escobar-Olvera entra al programa de rehabilitación por alcoholismo.'],
    ['Diabetes', "Sophia O'Neal's Trulicity was denied; please resubmit."],
  ])('%s', (subject, body) => {
    const found = phi(subject, body);
    expect(found.length, JSON.stringify({ subject, body })).toBeGreaterThan(0);
    const f = found[0]!;
    expect(f.person).toBeDefined();
    expect(f.category).toBeDefined();
    expect(f.explanation).not.toMatch(
      /Doe|Chen|Gonzalez|Reed|Pérez|GARCIA|W123456789|Jenkins|Marsh|Ibarra|Payne|BRIEN|Latoya|Escobar|Neal/,
    );
  });

  it('highlights both halves at their raw ranges', () => {
    const body = "Jane Doe's HIV viral load came back detectable.";
    const [f] = phi('Results', body);
    expect(body.slice(f!.person!.start, f!.person!.end)).toBe('Jane Doe');
    expect(body.slice(f!.start, f!.end).toLowerCase()).toContain('hiv');
    expect(f!.category).toBe('hiv-sti');
  });

  it('links a name in the subject with health information in the body', () => {
    const found = phi('Thomas Reed', 'His colonoscopy showed a malignant polyp; oncology will call him.');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.person?.field).toBe('subject');
  });
});

describe('not PHI', () => {
  it.each([
    ['Webinar', 'Join our webinar on diabetes management and opioid prescribing guidelines next Tuesday.'],
    ['Newsletter', 'This month is breast cancer awareness month: remind members about mammogram screenings.'],
    ['Coverage', 'Maria Gonzalez will cover the phones on Friday while the team is at training.'],
    [
      'Network',
      "Dr. Patel's oncology practice joined the network; Dr. Ana Ruiz, psychiatrist, starts in May.",
    ],
    [
      'Hi',
      'Hi Dr. Chen,\nThe webinar on HIV prevention and PrEP is on Monday.\nThanks,\nJennifer Lopez, RN\nCare Management',
    ],
    ['Staff', 'Attendees: Robert Chen, Maria Gonzalez, Thomas Reed. Agenda: Q3 claims backlog.'],
    [
      'Hospital',
      'Mercy Medical Center and St. Mary Hospital now accept secure mail for chemotherapy authorizations.',
    ],
    ['Directions', 'The infusion center moved to 40 Mercy Way; parking is behind the building.'],
    ['Photos', 'Karen Miller runs the photography program and the academia outreach on Fridays.'],
    [
      'Campaña',
      'Mes de la Concientización sobre el Cáncer de Mama: recuerde a sus afiliados las mamografías.',
    ],
  ])('%s', (subject, body) => {
    expect(phi(subject, body)).toEqual([]);
  });

  it('is off when the policy turns it off', () => {
    const policy = { ...DEFAULT_DETECTION_POLICY, phi: { enabled: false } };
    expect(phi('HIV', "Jane Doe's HIV viral load came back detectable.", policy)).toEqual([]);
  });

  it('a category the admin makes count alone needs no person', () => {
    const policy = { ...DEFAULT_DETECTION_POLICY, phi: { aloneCategories: ['hiv-sti' as const] } };
    expect(phi('Results', 'The HIV viral load came back detectable.', policy).length).toBeGreaterThan(0);
    expect(phi('Results', 'The HIV viral load came back detectable.')).toEqual([]);
  });
});
