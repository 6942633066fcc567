import type { EntityType } from '../../shared/entities';
import type { LanguageData } from './language';

/**
 * "número de X" is also written "no. de X", "núm. de X", "nro. de X", "n.º de X":
 * each label that starts so comes with its abbreviations.
 */
function withAbbreviations(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    out.push(w);
    if (w.indexOf('número ') === 0) {
      const rest = w.slice('número '.length);
      for (const a of ['no. ', 'no ', 'núm. ', 'nro. ', 'n.º ', 'nº ']) out.push(a + rest);
    }
  }
  return out;
}

/** Spanish: mail to and from providers and members who write in Spanish. */
const data: LanguageData = {
  code: 'es',
  labels: {
    US_SSN: [
      'número de seguro social', 'no. de seguro social', 'núm. de seguro social', 'seguro social',
      'nro. de seguro social', 'número del seguro social', 'seguro social no', 'nss',
    ],
    US_ITIN: [
      'número de identificación personal del contribuyente', 'identificación del contribuyente',
      'número de contribuyente',
    ],
    CREDIT_CARD: [
      'tarjeta', 'tarjeta de crédito', 'tarjeta de débito', 'número de tarjeta', 'no. de tarjeta', 'pago',
      'vencimiento de la tarjeta',
    ],
    MEDICARE_MBI: [
      'número de medicare', 'identificador de beneficiario de medicare', 'id de medicare',
      'beneficiario de medicare', 'tarjeta de medicare',
    ],
    NPI: [
      'identificador nacional de proveedores', 'identificador nacional del proveedor', 'número npi',
      'npi del proveedor', 'id del proveedor', 'número de proveedor', 'identificador del proveedor',
    ],
    DEA: ['número dea', 'registro dea', 'número de registro dea'],
    ABA_ROUTING: [
      'número de ruta', 'ruta bancaria', 'número de enrutamiento', 'enrutamiento', 'ruta y tránsito',
      'número de tránsito', 'routing',
    ],
    US_BANK_ACCOUNT: [
      'cuenta', 'número de cuenta', 'no. de cuenta', 'núm. de cuenta', 'cuenta bancaria', 'cuenta de cheques',
      'cuenta corriente', 'cuenta de ahorros', 'depósito directo',
    ],
    IBAN: ['iban', 'transferencia', 'cuenta internacional'],
    US_EIN: [
      'número de identificación del empleador', 'identificación fiscal', 'número de identificación fiscal',
      'id fiscal', 'número fiscal', 'número de identificación patronal', 'número de identificación tributaria',
      'identificación tributaria', 'id tributario',
    ],
    DATE_OF_BIRTH: [
      'fecha de nacimiento', 'fecha nacimiento', 'f. de nacimiento', 'f. nacimiento', 'fecha de nac',
      'fecha nac', 'f. nac', 'fec. nac', 'nacimiento', 'nació', 'nacido', 'nacida', 'cumpleaños',
    ],
    ICD10: [
      'diagnóstico', 'diagnósticos', 'diagnosticado', 'diagnosticada', 'código de diagnóstico',
      'códigos de diagnóstico', 'cie', 'cie-10', 'cie10', 'código cie-10', 'diagnóstico principal',
    ],
    MEMBER_ID: [
      'número de miembro', 'id de miembro', 'identificación de miembro', 'miembro', 'afiliado',
      'número de afiliado', 'id del afiliado', 'id de afiliado', 'suscriptor', 'número de suscriptor',
      'número de póliza', 'póliza', 'asegurado', 'id del asegurado', 'número de asegurado',
      'tarjeta de seguro', 'número de medicaid', 'id de medicaid', 'identificación del plan',
    ],
    MRN: [
      'expediente', 'número de expediente', 'expediente médico', 'historia clínica',
      'número de historia clínica', 'registro médico', 'número de registro médico', 'id del paciente',
      'número de paciente', 'número del paciente',
    ],
  },
  decoys: [
    'servicios al miembro', 'servicios para miembros', 'teléfono', 'tel', 'celular', 'móvil', 'fax', 'reclamo', 'número de reclamo', 'reclamación',
    'factura', 'número de factura', 'pedido', 'orden', 'referencia', 'caso', 'número de caso',
    'confirmación', 'número de confirmación', 'autorización', 'número de autorización', 'seguimiento',
    'número de seguimiento', 'rastreo', 'monto', 'importe', 'pagado', 'facturado', 'saldo',
    'fecha de servicio', 'cita', 'lote', 'extensión', 'código postal', 'habitación', 'sala', 'grupo',
    'número de grupo', 'cheque', 'número de cheque', 'código de procedimiento', 'procedimiento',
    'contrato', 'versión', 'vence', 'vencimiento', 'fecha de ingreso', 'ingresado', 'ingresó',
    'fecha de alta', 'cantidad', 'deducible', 'coseguro', 'copago',
  ],
  months: [
    ['enero', 'ene'], ['febrero', 'feb'], ['marzo', 'mar'], ['abril', 'abr'], ['mayo', 'may'],
    ['junio', 'jun'], ['julio', 'jul'], ['agosto', 'ago'], ['septiembre', 'setiembre', 'sept', 'sep', 'set'],
    ['octubre', 'oct'], ['noviembre', 'nov'], ['diciembre', 'dic'],
  ],
  dayFirst: true,
  dateLinkWords: ['es', 'fue', 'el', 'de', 'del', 'edad', 'dd/mm/aaaa', 'dd/mm/aa'],
  digitWords: [
    ['cero'], ['uno', 'una'], ['dos'], ['tres'], ['cuatro'], ['cinco'], ['seis'], ['siete'], ['ocho'],
    ['nueve'],
  ],
  commonWords: ['el', 'la', 'los', 'las', 'de', 'del', 'que', 'para', 'con', 'por', 'su', 'es', 'una', 'favor'],
}; // prettier-ignore

const labels: Partial<Record<EntityType, readonly string[]>> = {};
for (const type of Object.keys(data.labels) as EntityType[])
  labels[type] = withAbbreviations(data.labels[type] ?? []);

export const spanish: LanguageData = {
  code: data.code,
  labels,
  decoys: withAbbreviations(data.decoys),
  months: data.months,
  dayFirst: data.dayFirst,
  dateLinkWords: data.dateLinkWords,
  digitWords: data.digitWords,
  commonWords: data.commonWords,
};
