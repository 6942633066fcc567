import type { LanguageData } from './language';

/** English: US health-plan and provider-office mail. */
export const english: LanguageData = {
  code: 'en',
  labels: {
    US_SSN: [
      'ssn', 'ss#', 'ss #', 'ss no', 'ssn#', 'ss number', 'social security', 'social security number',
      'social security no', 'social', 'soc sec', 'soc sec no', 'social sec', 'soc. sec', 's.s.n', 'socsec',
    ],
    US_ITIN: [
      'itin', 'taxpayer id', 'taxpayer identification', 'individual taxpayer', 'tax id',
      'individual taxpayer identification number',
    ],
    CREDIT_CARD: [
      'card', 'credit card', 'debit card', 'card number', 'card no', 'card #', 'card num', 'cc', 'cc#',
      'visa', 'mastercard', 'mc', 'amex', 'american express', 'discover', 'jcb', 'diners', 'diners club',
      'uatp', 'maestro', 'unionpay', 'charge', 'copay', 'payment', 'pay', 'exp', 'expiry', 'cvv', 'cvc',
      'on file', 'pan',
    ],
    MEDICARE_MBI: [
      'medicare', 'mbi', 'mbi#', 'beneficiary', 'hicn', 'medicare id', 'medicare #', 'medicare number',
      'medicare beneficiary id', 'medicare beneficiary identifier', 'medicare beneficiary number',
      'medicare card', 'medicare no',
    ],
    NPI: [
      'npi', 'npi#', 'npi number', 'npi no', 'national provider', 'national provider identifier',
      'provider id', 'provider identifier', 'provider number', 'provider #', 'provider no', 'rendering',
      'billing provider', 'prescriber', 'attending', 'referring', 'servicing provider', 'type 1', 'type 2',
      'individual npi', 'group npi', 'organization npi',
    ],
    DEA: [
      'dea', 'dea#', 'dea no', 'dea number', 'dea registration', 'dea registration number', 'dea reg',
      'controlled substance', 'prescriber',
    ],
    ABA_ROUTING: [
      'routing', 'aba', 'rtn', 'routing number', 'routing #', 'routing no', 'transit', 'bank routing',
      'r/t', 'wire', 'rtg', 'aba/routing', 'routing/aba', 'aba number', 'aba #',
    ],
    US_BANK_ACCOUNT: [
      'account', 'account number', 'account no', 'account #', 'account num', 'acct', 'acct #', 'acct no',
      'acct#', 'acct num', 'a/c', 'checking account', 'checking acct', 'checking #', 'savings account',
      'savings #', 'bank account', 'bank acct', 'deposit account', 'dda', 'eft account', 'direct deposit',
    ],
    IBAN: ['iban', 'remit', 'bank', 'swift', 'bic', 'wire', 'transfer'],
    US_EIN: [
      'ein', 'fein', 'tin', 'tax id', 'tax id number', 'federal tax', 'tax identification',
      'employer identification', 'employer identification number', 'employer id', 'federal id',
      'taxpayer id', 'fed id', 'fed. id', 'federal tax id', 'tax id #', 'tin #',
    ],
    DATE_OF_BIRTH: [
      'dob', 'd.o.b', 'date of birth', 'birth date', 'birthdate', 'birth dt', 'born', 'born on',
      'birthday', 'bday', 'b-day', 'dob (mm/dd/yyyy)', 'dob/age', 'date of birth/age', 'birth',
    ],
    ICD10: [
      'diagnosis', 'diagnoses', 'diagnosed', 'dx', 'dx code', 'dx codes', 'diag', 'icd', 'icd-10',
      'icd10', 'icd-10-cm', 'icd code', 'icd-10 code', 'diagnosis code', 'diagnosis codes', 'primary dx',
      'secondary dx', 'principal diagnosis', 'admitting diagnosis', 'primary diagnosis',
    ],
    MEMBER_ID: [
      'member', 'member id', 'member #', 'member number', 'member no', 'member identifier', 'mem id',
      'subscriber', 'subscriber id', 'subscriber #', 'subscriber number', 'subscriber identifier', 'cin',
      'client index', 'health net id', 'medicaid id', 'medicaid #', 'medicaid number',
      'medi-cal id', 'insurance id', 'insurance #', 'insured id', 'plan id', 'policy #', 'policy number',
      'policy id', 'policy no', 'enrollee id', 'beneficiary id', 'recipient id', 'id card', 'card id',
      'identification number', 'id on the card', 'id on card', 'mbr', 'mbr id', 'ins id', 'ins. id', 'cardholder id', 'cardholder',
      'unique member id', 'health plan id', 'eligibility id', 'alternate id', 'policyholder id',
    ],
    MRN: [
      'mrn', 'mrn#', 'medical record', 'medical record number', 'medical record #', 'medical record no',
      'med rec', 'med. rec', 'chart', 'chart #', 'chart number', 'chart no', 'patient id', 'patient #',
      'patient number', 'patient identifier', 'record #', 'record number', 'mr#', 'mr #', 'hospital number',
      'hospital no', 'hospital id', 'encounter', 'emr', 'emr #', 'ehr', 'unit number',
    ],
  },
  decoys: [
    'member services', 'provider services', 'customer service', 'patient account', 'patient account number',
    'patient acct', 'patient acct #', 'patient control number', 'patient control #', 'account balance', 'ticket', 'confirmation', 'confirmation number', 'conf', 'batch', 'tracking', 'tracking number',
    'order', 'invoice', 'invoice number', 'invoice #', 'inv', 'reference', 'ref', 'case', 'claim',
    'claim number', 'claim #', 'claim id', 'claim no', 'claim control', 'payer claim', 'icn', 'dcn', 'tcn',
    'pcn', 'document id', 'doc id', 'gift code', 'gift card', 'voucher', 'coupon', 'promo', 'po box',
    'phone', 'fax', 'tel', 'call', 'cell', 'mobile', 'pager', 'room', 'suite', 'floor', 'paper size', 'zip',
    'zip code', 'postal code', 'provider update', 'auth', 'auth #', 'auth number', 'authorization',
    'authorization number', 'prior auth', 'pa #', 'referral', 'referral #', 'serial', 'part', 'model',
    'version', 'sku', 'upc', 'isbn', 'check #', 'check number', 'check', 'eft', 'eft trace', 'trace',
    'trace number', 'trace #', 'extension', 'ext', 'effective', 'deadline', 'dated', 'due', 'billed',
    'billed amount', 'charges', 'paid', 'allowed', 'balance', 'adjustment', 'adj', 'deductible',
    'coinsurance', 'patient responsibility', 'interest', 'payment amount', 'check amount', 'amount',
    'total', 'sample', 'placeholder', 'example', 'fake', 'dummy', 'shipment', 'package', 'parcel', 'rma',
    'ticket #', 'passport', 'license', 'licence', 'dl#', 'key', 'license key', 'group', 'group #',
    'group number', 'grp', 'line', 'line #', 'toll-free', 'toll free', 'hotline', 'bus', 'route', 'gate',
    'flight', 'envelope', 'size', 'dos', 'date of service', 'service date', 'appointment', 'appt', 'visit',
    'seen', 'admitted', 'admission', 'discharged', 'discharge', 'party', 'updated', 'opened', 'closed',
    'expires', 'expiry date', 'ndc', 'ndc code', 'ndc #', 'national drug code', 'drug code', 'hcpcs',
    'hcpcs code', 'cpt', 'cpt code', 'cpt/hcpcs', 'procedure', 'procedure code', 'proc code',
    'revenue code', 'rev code', 'modifier', 'units', 'place of service', 'contract', 'contract number',
    'contract id', 'pbp', 'plan benefit package', 'qty', 'quantity', 'seq', 'sequence',
  ],
  months: [
    ['january', 'jan'], ['february', 'feb'], ['march', 'mar'], ['april', 'apr'], ['may'], ['june', 'jun'],
    ['july', 'jul'], ['august', 'aug'], ['september', 'sept', 'sep'], ['october', 'oct'],
    ['november', 'nov'], ['december', 'dec'],
  ],
  dayFirst: false,
  dateLinkWords: ['is', 'was', 'of', 'on', 'and', 'age', 'mm/dd/yyyy', 'mm/dd/yy', 'dd/mm/yyyy'],
  digitWords: [
    ['zero', 'oh'], ['one'], ['two'], ['three'], ['four'], ['five'], ['six'], ['seven'], ['eight'],
    ['nine'],
  ],
  commonWords: ['the', 'and', 'of', 'to', 'for', 'with', 'your', 'is', 'please', 'this', 'on', 'we'],
}; // prettier-ignore
