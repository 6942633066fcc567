/**
 * Spanish health wording for the prose corpus, in the pattern language of
 * lexicon.ts. `{P}` carries its article when the name has a title ("la Sra.
 * García"), so "de {P}" and "a {P}" contract to "del"/"al" when needed.
 */
import type { HealthCategory } from '../../../src/shared/entities';
import type { CategoryText, Term } from './lexicon';

const t = (spec: string): Term[] =>
  spec
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^(un|una) (.+)$/.exec(s);
      return m ? { a: m[1]!, n: m[2]! } : { n: s };
    });

export const ES: Record<HealthCategory, CategoryText> = {
  condition: {
    terms:
      t(`diabetes tipo 2; diabetes; insuficiencia cardíaca; asma; EPOC; hipertensión; enfermedad renal crónica;
      fibrilación auricular; neumonía; epilepsia; artritis reumatoide; lupus; apnea del sueño;
      una úlcera de pie diabético; demencia; Alzheimer; cálculos renales; esclerosis múltiple;
      enfermedad de Parkinson; gota; obesidad mórbida`),
    sub: {
      ev: t(
        'una fractura de cadera; un derrame cerebral; un infarto; una fractura de muñeca; una embolia pulmonar',
      ),
    },
    sentences: [
      'A {P} le diagnosticaron {X} <la semana pasada|en {month}|en su última cita>.',
      '{P} tiene {X} y <pregunta|quiere saber> si el plan cubre <una segunda opinión|la consulta con el especialista|un nutricionista>.',
      '{P} tiene {X0} y su condición <ha empeorado|no está controlada>; necesita una cita con {eldr}.',
      'Le aviso que {P} <está en tratamiento por|tiene antecedentes de> {X}.',
      '¿Me puede confirmar si {P} sigue en control por {X0} con {eldr}?',
      'Recibimos una referencia para {P} por {X}.',
      '{P} vive sol{o} y tiene {X}; le vendría bien un manejador de casos.',
      'Según {eldr}, {P} tiene {X} y <está estable|se actualizó su plan de cuidado>.',
      '{P} <sufrió|tuvo> {X.ev} <la semana pasada|el {date}> y necesita <transporte a sus citas|una andadera|terapia en casa>.',
      '{P} fue atendid{o} en {hosp} por {X.ev}.',
    ],
    notes: ['{X0}', 'dx: {X0}', 'nuevo diagnóstico: {X0}', '{X0}, sin control', 'antecedentes de {X0}'],
    yours: [
      'Su médico nos informó que le diagnosticaron {X}. Nuestro equipo de cuidado puede ayudarle.',
      'Como parte de nuestro programa para afiliados con {X0}, una enfermera le llamará esta semana.',
    ],
    subjects: ['{X0}', 'seguimiento {X0}', 'plan de cuidado - {X0}'],
  },
  procedure: {
    terms: t(`un reemplazo de rodilla; un reemplazo de cadera; una resonancia magnética; una colonoscopía;
      una tomografía; un cateterismo cardíaco; una cirugía de vesícula; una cirugía de cataratas;
      una fusión espinal; una cirugía bariátrica; un ecocardiograma; una endoscopía; una reparación de hernia;
      una artroscopía de rodilla; una apendicectomía`),
    sentences: [
      '{P} tiene programad{o} {X} para el {date} en {hosp}.',
      'La autorización para {X} de {P} <fue aprobada|está pendiente|fue negada>.',
      '{P} se hizo {X} el {date} y se está recuperando <bien|en casa>.',
      'Por favor avísele a {P} que su cita para {X} se cambió para el {day}.',
      '{P} <canceló|reprogramó> su {X0} por <falta de transporte|su trabajo>.',
      'Necesitamos el reporte operatorio de {P} ({X0} del {date}) para procesar el reclamo.',
      '{eldr} solicita {X} para {P}.',
      '¿{P} necesita referencia para {X}?',
    ],
    notes: ['{X0} el {date}', '{X0} - aprobada', '{X0}, autorización pendiente', 'necesita {X0}'],
    yours: [
      'Su autorización para {X} fue aprobada para el {date}.',
      'Su cita para {X} con {eldr} está confirmada para el {day}.',
    ],
    subjects: ['{X0}', 'autorización - {X0}', 'programación de {X0}'],
  },
  medication: {
    terms: t(`insulina; Ozempic; metformina; Eliquis; lisinopril; Humira; albuterol; prednisona; warfarina;
      Jardiance; Trulicity; Lantus; Xarelto; Mounjaro; atorvastatina; gabapentina; levotiroxina`),
    sentences: [
      '{P} <empezó a tomar|ya está tomando> {X} <por indicación de {eldr}|desde la semana pasada>.',
      'La farmacia rechazó el surtido de {X0} de {P} <porque requiere autorización|por ser muy pronto>.',
      '¿Podemos autorizar una excepción para que {P} recoja su {X0} hoy?',
      '{P} se quedó sin {X0} <desde el {day}|hace dos días> y no puede pagar el copago.',
      'La autorización previa de {X0} para {P} <fue aprobada hasta {month}|vence el {date}>.',
      '{P} dejó de tomar {X0} por <efectos secundarios|el costo|náuseas>.',
      '{eldr} aumentó la dosis de {X0} de {P}.',
    ],
    notes: ['surtido de {X0}', 'autorización de {X0}', 'inició {X0}', '{X0} rechazado en farmacia'],
    yours: [
      'Su surtido de {X0} fue aprobado y puede recogerlo hoy.',
      'Aprobamos su solicitud de {X0} hasta {month}.',
    ],
    subjects: ['{X0} - autorización', 'surtido de {X0}'],
  },
  test: {
    terms: t(`una hemoglobina A1c; un perfil de lípidos; un análisis de sangre; una densitometría ósea;
      un estudio del sueño; una prueba de esfuerzo; una prueba de tuberculosis; un examen de orina;
      una mamografía; un hemograma; unos análisis de laboratorio; un perfil tiroideo`),
    sentences: [
      'El resultado de {X0} de {P} salió <alterado|elevado|normal> y {eldr} quiere ver{lo}.',
      '{P} se hizo {X} el {date}; los resultados <están en el portal|están pendientes|van adjuntos>.',
      '¿Me puede enviar los resultados de {X0} de {P} del {date}?',
      'La [A1c] más reciente de {P} fue de <9.4|10.2|8.8>%.',
      '{P} tiene pendiente {X}.',
      'Todavía necesitamos el resultado de {X0} de {P} para cerrar la brecha de cuidado.',
      '{eldr} le ordenó {X} a {P} después de la visita a urgencias.',
      'Los [resultados de la biopsia] de {P} <ya llegaron|siguen pendientes>.',
    ],
    notes: ['{X0} alterado', '{X0} pendiente', 'necesita {X0}', '[A1c] 9.3%'],
    yours: [
      'Los resultados de su {X0} están listos; llame al consultorio de {eldr} para revisarlos.',
      'Según nuestros registros le toca {X}. Puede hacérselo en cualquier laboratorio de la red.',
    ],
    subjects: ['resultados de {X0}', 'laboratorios - {X0}'],
  },
  care: {
    terms: t(`visitas de salud en el hogar; terapia física; una estancia en un centro de enfermería;
      oxígeno en casa; una silla de ruedas eléctrica; rehabilitación hospitalaria; transporte en ambulancia;
      una cama de hospital; terapia ocupacional; un equipo de CPAP`),
    sentences: [
      '{P} fue [hospitalizad{o} en {hosp}] <anoche|el {date}|esta mañana>.',
      '{P} fue [dad{o} de alta] <el {date}|ayer> y necesita una cita de seguimiento en 7 días.',
      '{P} fue a [la sala de emergencias] <dos veces este mes|el {date}|el fin de semana>.',
      '{P} fue [referid{o} a cuidados paliativos] y la familia pregunta por el beneficio.',
      'La autorización para {X0} de {P} <fue aprobada|está pendiente|fue negada>.',
      'El reclamo de la [<consulta|visita a urgencias|ambulancia>] de {P} del {date} <fue negado|está pendiente|fue pagado>.',
      '{P} está [en terapia intensiva] en {hosp} desde el {day}.',
      '{P} <necesita|solicita> {X} después de su cirugía.',
      '{P} fue [readmitid{o} en {hosp}] tres días después del alta.',
    ],
    notes: [
      '[hospitalización] {date}',
      '[alta] {date}',
      '[urgencias] {date}',
      '[cuidados paliativos]',
      '{X0} aprobada',
    ],
    yours: [
      'Nuestros registros indican que usted fue [dado de alta de {hosp}] el {date}; una enfermera le llamará esta semana.',
      'Su solicitud de {X0} fue aprobada hasta {month}.',
    ],
    subjects: ['[hospitalización] {date}', 'seguimiento de [alta]', '{X0}'],
  },
  'hiv-sti': {
    terms: t('VIH; sífilis; clamidia; gonorrea; herpes genital; VPH; tricomoniasis'),
    sub: {
      med: t('PrEP; Biktarvy; Descovy; Truvada'),
      test: t(
        'una prueba de VIH; una carga viral de VIH; una prueba de RPR; un panel de ETS; un conteo de CD4',
      ),
    },
    sentences: [
      'La [carga viral de VIH] de {P} salió <detectable|indetectable>; por favor llámele para programar seguimiento.',
      '{P} salió positiv{o} para {X} <en su última cita|el {date}>.',
      '{P} <toma|empezó a tomar> {X.med} desde {month}.',
      '{P} recibió tratamiento para {X0} en la clínica <el mes pasado|el {date}>.',
      '{P} pregunta si su {X0.med} está cubierto sin autorización previa.',
      'Los resultados de {X0.test} de {P} ya llegaron; {eldr} quiere revisarlos en persona.',
      '{P} nos dijo que vive con [VIH] y necesita un nuevo infectólogo; pidió que no llamemos a su casa.',
    ],
    notes: ['[VIH+]', 'tx {X0}', 'surtido de {X0.med}', '{X0} positivo', '{X0.test} pendiente'],
    yours: [
      'Los resultados de su {X0.test} están listos. Llame al consultorio de {eldr} para revisarlos.',
      'Su receta de {X0.med} fue aprobada por 90 días.',
    ],
    subjects: ['resultados de {X0.test}', '{X0.med} - autorización'],
  },
  'mental-health': {
    terms: t(`depresión; depresión mayor; trastorno bipolar; esquizofrenia; trastorno de estrés postraumático;
      trastorno de ansiedad; trastorno de pánico; anorexia; bulimia; trastorno obsesivo compulsivo;
      un trastorno de la conducta alimentaria`),
    sub: { med: t('Seroquel; litio; Abilify; sertralina; Lexapro; clozapina; Invega Sustenna') },
    sentences: [
      'Por favor avísele a {P} que su [evaluación psiquiátrica] por {X0} es el {day}.',
      '{P} fue [internad{o} involuntariamente en la unidad psiquiátrica] de {hosp} <anoche|el fin de semana>.',
      '{P} está en tratamiento por {X} y faltó a sus últimas citas de [terapia].',
      '{P} expresó [ideas suicidas] durante la llamada; l{o} transferimos a la línea de crisis.',
      '{P} busca un terapeuta que trate {X0}.',
      'Según {eldr}, {P} <sigue estable|ha empeorado> de su {X0}.',
      '{P} necesita autorización para {X0.med} por {X0}.',
      '{P} fue [hospitalizad{o} en salud mental] por {X0} en {hosp}.',
      'F:{P} tiene [depresión posparto] y necesita una terapeuta.',
    ],
    notes: [
      '{X0}',
      '[retención psiquiátrica] {date}',
      '[hospitalización psiquiátrica]',
      '[ideación suicida] - referido a crisis',
    ],
    yours: [
      'Sus [sesiones de terapia] para {X0} fueron aprobadas hasta {month}.',
      'Aprobamos su solicitud de {X0.med}. Puede recogerlo en su farmacia.',
    ],
    subjects: ['seguimiento de [salud mental]', '{X0}', '[evaluación psiquiátrica]'],
  },
  'substance-use': {
    terms:
      t(`trastorno por consumo de opioides; trastorno por consumo de alcohol; alcoholismo; adicción a la cocaína;
      adicción a la metanfetamina`),
    sub: {
      med: t('Suboxone; buprenorfina; Vivitrol; naltrexona; metadona'),
      ev: t(
        'una sobredosis de opioides; una sobredosis de fentanilo; abstinencia alcohólica; una intoxicación alcohólica',
      ),
    },
    sentences: [
      '{P} fue hospitalizad{o} anoche por [una sobredosis de opioides] y ahora está en [desintoxicación] en {hosp}.',
      '{P} <terminó|abandonó> el [programa de rehabilitación] y necesita un programa ambulatorio.',
      '{P} <recibe|empezó con> {X.med} en la clínica desde {month}.',
      '{P} tuvo [una prueba de drogas positiva] en su última cita.',
      'La autorización de {X0.med} de {P} <fue aprobada|está pendiente|venció>.',
      '{P} recayó la semana pasada y pregunta por opciones de [desintoxicación].',
      '{P} fue atendid{o} por {X.ev} en {hosp} el fin de semana.',
      '{P} tiene {X} y quiere entrar a un [programa ambulatorio intensivo para adicciones].',
    ],
    notes: [
      '[desintoxicación] {date}',
      '{X0}, en {X0.med}',
      '[sobredosis] {date}',
      'alta de [rehabilitación]',
    ],
    yours: [
      'Su autorización de {X0.med} fue aprobada hasta {month}.',
      'Gracias por completar la [desintoxicación]. Su manejador de casos le ayudará a buscar un programa.',
    ],
    subjects: ['{X0.med} - autorización', 'seguimiento [desintoxicación]'],
  },
  reproductive: {
    terms: t('anticonceptivos; tratamiento de fertilidad; fertilización in vitro; planificación familiar'),
    sub: {
      f: t(`un DIU; una ligadura de trompas; control prenatal; un ultrasonido prenatal; una cesárea;
        una prueba de embarazo; un implante anticonceptivo`),
      m: t('una vasectomía'),
    },
    sentences: [
      'F:{P} tiene [<20|24|32> semanas de embarazo] y necesita transporte a sus citas de [control prenatal].',
      'F:{P} tuvo [un aborto espontáneo] <el mes pasado|el {date}> y pregunta por la cita de seguimiento.',
      'La solicitud de [fertilización in vitro] de {P} fue <negada|aprobada>.',
      '{P} pregunta si el plan cubre {X}.',
      'F:{P} pregunta si el plan cubre {X.f}.',
      'F:La [prueba de embarazo] de {P} salió <positiva|negativa>.',
      'F:{P} está [embarazada] y pregunta por el programa de maternidad.',
      'F:{P} tuvo [una interrupción del embarazo] el {date} y el reclamo fue negado.',
      'M:{P} tiene programada [una vasectomía] con {eldr}.',
      'F:{P} dio a luz por [cesárea] en {hosp} el {date}.',
    ],
    notes: [
      'F:[embarazada], fecha probable {month}',
      '[FIV] ciclo 2',
      'F:seguimiento de [aborto espontáneo]',
      '{X0}',
    ],
    yours: [
      '¡Felicidades por su [embarazo]! Nuestro programa de maternidad le puede ayudar.',
      'Su solicitud de {X0} fue aprobada.',
    ],
    subjects: ['[control prenatal]', 'solicitud de {X0}', '[embarazo]'],
  },
  genetic: {
    terms:
      t(`una mutación BRCA1; una mutación BRCA2; enfermedad de Huntington; síndrome de Lynch; fibrosis quística;
      anemia de células falciformes; factor V Leiden; síndrome X frágil; hemocromatosis hereditaria`),
    sub: {
      test: t('una prueba genética; una prueba BRCA; un tamizaje de portadores; una secuenciación del exoma'),
    },
    sentences: [
      '{P} salió positiv{o} para {X} y quiere hablar de sus opciones.',
      'La solicitud de {X0.test} de {P} fue <aprobada|negada>.',
      '{P} tiene antecedentes familiares de {X0} y fue referid{o} a [asesoría genética].',
      '{eldr} ordenó [pruebas genéticas] para {P} por sus antecedentes familiares de {X0}.',
      '{P} es portador{a} de {X0}.',
      'El resultado de [la prueba de Huntington] de {P} salió positivo; pidió que no se comparta con su empleador.',
    ],
    notes: ['[BRCA1+]', '{X0.test} pendiente', '{X0}', 'referido a [asesoría genética]'],
    yours: [
      'Su solicitud de {X0.test} fue aprobada.',
      'Los resultados de sus [pruebas genéticas] están listos; una consejera genética le llamará.',
    ],
    subjects: ['{X0.test}', '[asesoría genética]'],
  },
  cancer: {
    terms: t(`cáncer de mama etapa II; cáncer de mama; cáncer de pulmón; cáncer de colon; cáncer de próstata;
      leucemia; linfoma; melanoma; cáncer de páncreas; cáncer de ovario; mieloma múltiple; un tumor cerebral`),
    sub: { tx: t('quimioterapia; radioterapia; inmunoterapia; Keytruda; tamoxifeno') },
    sentences: [
      'La autorización de [quimioterapia] de {P} ({X0}) está aprobada hasta {month}.',
      'A {P} le diagnosticaron {X} <el mes pasado|en {month}>.',
      '{P} empieza [radioterapia] <el {date}|la próxima semana>.',
      '{P} tiene cita en [oncología] con {eldr} el {day}.',
      '{P} terminó su último ciclo de [quimio] el {date}.',
      'La biopsia de {P} confirmó {X}.',
      '{P} está [en remisión] de {X0} y pregunta por su cita de control.',
      'A {P} le acaban de decir que tiene {X}; por favor tenga tacto al llamar.',
    ],
    notes: ['{X0}', '[quimio] ciclo 3', 'inicio de [radioterapia] {date}', 'seguimiento en [oncología]'],
    yours: [
      'Su {X0.tx} en {hosp} está aprobada hasta {month}.',
      'La enfermera navegadora de [oncología] le llamará esta semana.',
    ],
    subjects: ['{X0}', 'referencia a [oncología]', 'autorización de {X0.tx}'],
  },
};
