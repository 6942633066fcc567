/**
 * People for the prose corpus: given names and surnames common in the United
 * States (English-speaking and Hispanic), some less common ones, some that are
 * also ordinary words (Grace, Hope, Will, Price), and the ways mail writes
 * them: with a title, as an initial, in capitals, "LAST, FIRST", with a
 * hyphenated or two-part Hispanic surname.
 */
import type { Rng } from '../rng';

export type Sex = 'f' | 'm';
export type Lang = 'en' | 'es';

const words = (s: string): string[] => s.trim().split(/\s+/);

export const GIVEN_EN_F = words(`
  Jane Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra
  Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura
  Cynthia Dorothy Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine
  Debra Rachel Carolyn Janet Maria Heather Diane Olivia Julie Joyce Victoria Kelly Christina Lauren Joan
  Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Madison Kathryn Janice Jean
  Abigail Alice Judy Sophia Denise Marilyn Beverly Charlotte Theresa Diana Brittany Tiffany Kayla Latoya
  Keisha Tamika Ebony Shanice Aaliyah Imani Courtney Whitney Brooke Paige Morgan Taylor Harper Avery
`);
export const GIVEN_EN_M = words(`
  James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
  Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
  Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Frank Alexander
  Raymond Patrick Jack Dennis Jerry Tyler Aaron Henry Douglas Peter Adam Nathan Zachary Walter Kyle Harold
  Carl Jeremy Keith Roger Gerald Ethan Arthur Terry Christian Sean Lawrence Austin Joe Noah Jesse Albert
  Bryan Billy Bruce Willie Jordan Dylan Alan Ralph Gabriel Roy Juan Wayne Eugene Logan Randy Louis Russell
  Vincent Philip Bobby Johnny Bradley Darnell DeShawn Tyrone Marquis Jamal Terrell Malik Dwayne Reginald
`);
export const GIVEN_ES_F = words(`
  María Guadalupe Juana Margarita Verónica Leticia Rosa Carmen Ana Francisca Alejandra Patricia Adriana
  Gabriela Yolanda Claudia Silvia Araceli Elizabeth Laura Lucía Sofía Valentina Daniela Camila Ximena
  Isabel Teresa Josefina Alicia Beatriz Norma Rocío Maribel Esperanza Graciela Dolores Marisol Yesenia
  Itzel Fernanda Paola Andrea Catalina Lourdes Mercedes Pilar Consuelo Inés Remedios Socorro Araceli
`);
export const GIVEN_ES_M = words(`
  José Juan Luis Carlos Jorge Miguel Francisco Jesús Antonio Alejandro Manuel Pedro Ricardo Fernando
  Roberto Javier Sergio Eduardo Rafael Raúl Arturo Mario Enrique Héctor Óscar Ramón Víctor Guillermo
  Alberto Armando Rubén Gerardo Ernesto Salvador Ignacio Andrés Diego Santiago Mateo Emiliano Joaquín
  Esteban Gustavo Hugo Julio César Marco Ángel Efraín Rodrigo Agustín Tomás Lorenzo Octavio Ulises
`);
/** Less common in US mail: other origins, unusual spellings. */
export const GIVEN_OTHER_F = words(`
  Mei Lan Xiu Thuy Linh Huong Min-ji Seo-yeon Priya Anjali Deepika Aisha Fatima Amina Zainab Ngozi Chiamaka
  Oksana Katarzyna Agnieszka Ingrid Astrid Siobhan Niamh Leilani Keala Ayumi Yuki Esi Abena Rania Layla
  Svetlana Dagny Marguerite Genevieve Saoirse Tallulah Zofia
`);
export const GIVEN_OTHER_M = words(`
  Wei Jian Hao Minh Duc Quang Tuan Ji-hoon Sung-min Raj Arjun Vikram Sanjay Omar Ahmed Yusuf Tariq Chinedu
  Emeka Oluwaseun Kwame Kofi Dmitri Piotr Tomasz Lars Sven Eoin Padraig Kai Keanu Hiroshi Kenji Tenzin Bao
  Anh Ravi Ibrahim Mustafa Bogdan
`);
/** Given names that are also words, for hard cases on both sides. */
export const GIVEN_WORDS_F = words(
  'Grace Hope Faith Joy Rose April June Summer Dawn Destiny Ivy Autumn Star',
);
export const GIVEN_WORDS_M = words('Will Mark Bill Chase Hunter Dale Rusty Sonny Forrest Clay Miles');

export const SURNAMES_EN = words(`
  Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson
  White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter
  Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook
  Morgan Bell Murphy Bailey Cooper Richardson Cox Howard Ward Peterson Gray James Watson Brooks Kelly Sanders
  Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Washington
  Butler Simmons Foster Bryant Alexander Russell Griffin Hayes Myers Ford Hamilton Graham Sullivan Wallace
  Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson McDonald Marshall Murray Freeman Wells
  Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon Burns Gordon
  Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Stone Hawkins
  Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold Wagner Willis Ray Watkins
  Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Harper Fox Riley Armstrong Carpenter
  Weaver Greene Lawrence Elliott Chavez Sims Austin Peters Kelley Franklin Lawson Fields O'Brien O'Neal
  McCarthy McKenzie Lincoln Love Bishop Page Hall Rich Bond Church Noble Strong
`);
export const SURNAMES_ES = words(`
  García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera Gómez Díaz
  Reyes Cruz Morales Ortiz Gutiérrez Chávez Ramos Ruiz Mendoza Álvarez Castillo Jiménez Moreno Romero Herrera
  Medina Aguilar Vargas Guzmán Castro Velázquez Rojas Contreras Salazar Luna Ortega Estrada Núñez Figueroa
  Domínguez Cabrera Delgado Vega Ríos Sandoval Campos Guerrero Juárez Fuentes Acosta Mejía Soto Peña Muñoz
  Ibáñez Cortés Espinoza Navarro Molina Valdez Serrano Carrillo Rosales Maldonado Zamora Orozco Arellano
  Villanueva Trujillo Cárdenas Benítez Bautista Pacheco Solís Lozano Quintero Escobar Ochoa Barrera Zúñiga
  Galindo Montoya Olvera Tapia Valencia Ybarra Quiñones Becerra Calderón Córdova Saldaña Zavala Villarreal
`);
export const SURNAMES_OTHER = words(`
  Nguyen Tran Le Pham Huynh Vo Kim Park Choi Chen Wang Liu Zhang Huang Lin Wu Patel Shah Singh Sharma Gupta
  Iyer Reddy Okafor Adeyemi Okonkwo Mensah Boateng Haddad Khalil Rahman Hussain Kowalski Nowak Wiśniewski
  Kozlov Ivanova Petrov Lindqvist Johansson Nakamura Tanaka Yamamoto Kealoha Abernathy Featherstonhaugh
  Vanderbilt Zielinski Oyelaran Tshabalala Papadopoulos Fitzgerald Kaczmarek
`);

export interface Person {
  given: string;
  /** A second given name or a middle initial ("José", "M."), when written. */
  middle?: string;
  /** One or two surnames as written ("García-López", "Pérez Gómez"). */
  family: string;
  sex: Sex;
  /** A Hispanic name (given name and one or two surnames). */
  hispanic: boolean;
}

function givenFor(r: Rng, sex: Sex, origin: 'en' | 'es' | 'other' | 'word'): string {
  const lists: Record<typeof origin, [string[], string[]]> = {
    en: [GIVEN_EN_F, GIVEN_EN_M],
    es: [GIVEN_ES_F, GIVEN_ES_M],
    other: [GIVEN_OTHER_F, GIVEN_OTHER_M],
    word: [GIVEN_WORDS_F, GIVEN_WORDS_M],
  };
  const [female, male] = lists[origin];
  return r.pick(sex === 'f' ? female : male);
}

/** A patient or member: mostly Hispanic names in Spanish mail, a mix in English mail. */
export function patient(r: Rng, lang: Lang): Person {
  const sex: Sex = r.chance(0.55) ? 'f' : 'm';
  const roll = r.float();
  const origin =
    lang === 'es'
      ? roll < 0.85
        ? 'es'
        : roll < 0.93
          ? 'en'
          : 'other'
      : roll < 0.55
        ? 'en'
        : roll < 0.8
          ? 'es'
          : roll < 0.93
            ? 'other'
            : 'word';
  const given = givenFor(r, sex, origin);
  if (origin === 'es') {
    const a = r.pick(SURNAMES_ES);
    let b = r.pick(SURNAMES_ES);
    while (b === a) b = r.pick(SURNAMES_ES);
    const shape = r.float();
    const family = shape < 0.3 ? `${a}-${b}` : shape < 0.6 ? `${a} ${b}` : a;
    let middle: string | undefined;
    if (r.chance(0.2)) middle = givenFor(r, sex, 'es');
    if (middle === given) middle = undefined;
    // "María José" is a woman's name, "José María" a man's: the second name may cross.
    if (!middle && sex === 'f' && given === 'María' && r.chance(0.5)) middle = 'José';
    return { given, middle, family, sex, hispanic: true };
  }
  const pool = origin === 'other' ? SURNAMES_OTHER : r.chance(0.85) ? SURNAMES_EN : SURNAMES_OTHER;
  let family = r.pick(pool);
  if (r.chance(0.06)) family = `${family}-${r.pick(SURNAMES_EN)}`;
  const middle = r.chance(0.12) ? `${r.letters(1)}.` : undefined;
  return { given, middle, family, sex, hispanic: false };
}

/** Staff, providers and other people who are not the subject of health information. */
export function anyone(r: Rng, lang: Lang = 'en'): { given: string; family: string; sex: Sex } {
  const p = patient(r, lang);
  return { given: p.given, family: p.family, sex: p.sex };
}

export const fullName = (p: Person): string =>
  p.middle ? `${p.given} ${p.middle} ${p.family}` : `${p.given} ${p.family}`;

export function title(p: Person, lang: Lang, r: Rng): string {
  if (lang === 'es') return p.sex === 'f' ? r.pick(['Sra.', 'Sra.', 'Srta.']) : 'Sr.';
  if (p.sex === 'm') return 'Mr.';
  return r.pick(['Ms.', 'Ms.', 'Mrs.', 'Miss']);
}

/** "García-López" → "García-López"; "Pérez Gómez" → "Pérez Gómez" (both surnames are kept). */
const upper = (s: string): string => s.toLocaleUpperCase('es');

/** How a person is written in running text. Each call may give another form. */
export function proseName(r: Rng, p: Person, lang: Lang): string {
  const roll = r.float();
  if (roll < 0.38) return fullName(p);
  if (roll < 0.52) return `${title(p, lang, r)} ${p.family}`;
  if (roll < 0.66) return `${title(p, lang, r)} ${p.given} ${p.family}`;
  if (roll < 0.76) return `${p.given[0]!}. ${p.family}`;
  if (roll < 0.86) return upper(fullName(p));
  if (roll < 0.93) return `${p.given} ${p.family}`;
  return lang === 'es' ? `${p.given} ${p.family}` : `${p.given} ${p.family.split(/[- ]/)[0]!}`;
}

/** "DOE, JANE" or "Doe, Jane M." as in a table's Name column or a pasted roster. */
export function lastFirst(r: Rng, p: Person): string {
  const first = p.middle && r.chance(0.5) ? `${p.given} ${p.middle}` : p.given;
  const s = `${p.family}, ${first}`;
  return r.chance(0.55) ? upper(s) : s;
}

export function pronouns(p: Person): { he: string; He: string; his: string; His: string; him: string } {
  return p.sex === 'f'
    ? { he: 'she', He: 'She', his: 'her', His: 'Her', him: 'her' }
    : { he: 'he', He: 'He', his: 'his', His: 'His', him: 'him' };
}

/** English possessive of a name as written ("Jane Doe's", "Mr. Ellis's" or "Mr. Ellis'"). */
export function possessive(r: Rng, name: string): { name: string; tail: string } {
  if (/s$/i.test(name)) return { name, tail: r.chance(0.5) ? "'" : "'s" };
  return { name, tail: /[A-Z]$/.test(name) && /^[^a-z]+$/.test(name) ? "'S" : "'s" };
}

export const capFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
