/**
 * Word lists the extractors share. Kept in one place so that a new reporting verb or people noun is added once.
 * All patterns are compiled at load time.
 */
import type { Metric } from "../core/vocabulary.js";

/** Nouns for people: a number in front of one of these counts people ("40 protesters", "17 women"). */
export const PEOPLE_NOUN =
  /^(?:people|persons?|individuals?|protesters?|protestors?|demonstrators?|civilians?|children|child|kids|minors?|juveniles?|teenagers?|teens|boys?|girls?|women|woman|men|man|students?|workers?|labou?rers?|prisoners?|detainees?|inmates?|victims?|patients?|citizens?|residents?|villagers?|others|activists?|journalists?|reporters?|lawyers?|teachers?|nurses?|doctors?|physicians?|medics?|members?|supporters?|followers?|worshippers?|mourners?|pensioners?|retirees?|farmers?|truckers?|drivers?|merchants?|shopkeepers?|bazaaris?|youths?|adults?|soldiers?|officers?|police(?:men|women)?|guards?|troops|personnel|militants?|fighters?|insurgents?|rebels?|gunmen|passengers?|crew|migrants?|refugees?|nationals?|bystanders?|participants?|organi[sz]ers?|leaders?|dissidents?|opponents?|bloggers?|artists?|athletes?|cases?|bodies|corpses|martyrs?|dead|casualties|fatalities|infants?|babies|girls|sons?|daughters?|relatives?|family members|Baha'?is|Kurds|Baluchis?|Arabs|Afghans|Sunnis|Christians|converts|dervishes|terrorists?|rioters?|thugs|separatists?|attackers?|suspects?|hostages?|miners?|strikers?|marchers?|health workers|staff|employees|colleagues|ringleaders?|agitators?|mothers|fathers|wives|husbands|brothers|sisters|clerics?|monks?|nuns?|priests?|imams?|seminarians?|conscripts?|recruits?|volunteers?|rescuers?|paramedics?|firefighters?|guardsmen|servicemen|officials?|villagers?|inhabitants|dwellers|tribesmen|nomads|shepherds|fishermen|labourers|laborers|prisoners of conscience|political prisoners|defenders|relatives|victims)\b/i;

/** Nouns that make a number a count of places: scope, never a claim. */
export const PLACE_COUNT_NOUN =
  /^(?:(?:different|other|major|small|several)\s+)?(cities|city|towns?|provinces?|counties|county|villages?|districts?|regions?|localities|locations|countries|states|neighbou?rhoods|universities|campuses)\b/i;

/** Units of time: a number in front of one is a duration or an age. */
export const DURATION_NOUN =
  /^(?:-|\s)*(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|decades?|centuries|century|times|percent|per\s*cent|%|am|pm|a\.m\.|p\.m\.|o'clock|km|kilometers?|kilometres?|miles?|meters?|metres?|kg|tons?|tonnes?|dollars?|rials?|tomans?|euros?|pounds|dinars?|afghanis?|rubles?|kyats?)\b|^(?:-|\s)*%/i;

/** Words of a metric, each read from the words around a figure. Order matters: the first match wins. */
export const METRIC_WORDS: ReadonlyArray<readonly [RegExp, Metric | "death"]> = [
  [
    /\b(?:executed|executions?|executing|executes|execute|hanged|hangings?|hangs|hang|put to death|sent to the gallows|gallows)\b/i,
    "executed",
  ],
  [
    /\b(?:forcibly disappeared|disappeared|disappearances?|missing|whereabouts (?:are |remain )?unknown)\b/i,
    "disappeared",
  ],
  [
    /\b(?:injured|injuries|injuring|wounded|wounding|wounds|hurt|maimed|blinded|hospitali[sz]ed (?:after|with (?:gunshot|injuries|wounds)|for (?:gunshot|injuries|wounds))|treated for (?:gunshot |their )?(?:injuries|wounds))\b/i,
    "injured",
  ],
  [
    /\b(?:killed|killings?|killing|kills|kill|shot dead|gunned down|slain|slaughtered|murdered|massacred?|massacres|martyred|martyrs?|shot and killed|beaten to death)\b/i,
    "killed",
  ],
  [
    /\b(?:died|dead|deaths?|death toll|die|dying|lost their lives|perished|succumbed|fatalities|fatality|bodies|corpses|buried|burials|mortality|lost|toll)\b/i,
    "death",
  ],
  [/\b(?:arrested|arrests?|arresting|arrest|rounds up|rounded up|apprehended|seized)\b/i, "arrested"],
  [
    /\b(?:detained|detain|detains|detentions?|detaining|detainees|taken into custody|taken in|in custody|held|jailed|imprisoned|behind bars|political prisoners|incarcerated)\b/i,
    "detained",
  ],
  [
    /\b(?:took part|taking part|take part|participated|participants|turned out|turnout|rallied|rally|rallies|marched|march|marching|gathered|gather|gathering|attended|demonstrated|protested|joined (?:the |a )?(?:protests?|strikes?|rall(?:y|ies)|march(?:es)?|walkout|demonstrations?|sit-ins?|vigils?)|protesters|demonstrators|on strike|on hunger strike|went on strike|went on hunger strike|walked out|stopped work|downed tools|came out|poured into|took to the streets|onto the streets|into the streets|filled the streets|chanted|chanting|staged|formed (?:a )?human chains?|blocked|strikers|crowds?|sit-ins?|kept up|vigils?|held a vigil)\b/i,
    "participants",
  ],
];

/** Words that say a death was violent: a "death toll" of protests counts people killed, of an epidemic deaths. */
export const VIOLENT_CONTEXT =
  /\b(?:protests?|protesters?|unrest|uprising|crackdown|shooting|shot|gunfire|live fire|security forces|riot police|killed|killings?|massacre|clashes|demonstrat\w+|raids?|bomb\w*|explosion|attack\w*|violence|martyrs?|crackdown|revolution|war|fighting|air ?strikes?|shelling|junta|coup|military|troops|soldiers)\b/i;

export const DISEASE_CONTEXT =
  /\b(?:coronavirus|covid(?:-19)?|virus|epidemic|pandemic|outbreak|disease|infections?|infected|hospitals?|icu|intensive care|cholera|influenza|flu|measles|plague|patients|vaccin\w+|earthquake|flood\w*|crash|disaster|accident|fire broke out|heat ?wave|famine|starvation|stampede|collapsed?|landslide|avalanche|storm)\b/i;

/** Verbs that introduce what a source asserts. */
export const REPORTING_VERB =
  /\b(?:said|says|say|reported|reports|report|announced|announces|declared|declares|confirmed|confirms|stated|states|told|tells|estimated|estimates|put|puts|recorded|records|documented|documents|verified|verifies|counted|counts|tallied|wrote|writes|added|adds|claimed|claims|insisted|insists|acknowledged|acknowledges|admitted|admits|revealed|reveals|published|publishes|released|releases|noted|notes|according|cited|citing|tweeted|posted|registered|listed|gave|give|gives|put the|updated|raised|revised|compiled|counted|quoted|chanted|chanting|chant)\b/i;

/** Nouns of a toll: "the death toll stands at N", "put the number at N". */
export const TOLL_NOUN =
  /\b(?:death toll|toll|number|figure|count|tally|total|estimate|balance)\b(?![\s\S]*\b(?:death toll|toll|number|figure|count|tally|total|estimate)\b)/i;

/** Common words that start a sentence or a headline in capitals and are never places. */
export const NOT_PLACE_WORDS = new Set(
  (
    "The A An In On At By For From To Of And Or But If As It Its He She They We You I My Our Their His Her This That " +
    "These Those There Here Then When Where While Which Who Whom Whose What Why How After Before During Since Until " +
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August " +
    "September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec One Two Three Four Five " +
    "Six Seven Eight Nine Ten Eleven Twelve Dozens Hundreds Thousands Tens Scores Several Many Some Most All No None " +
    "More Less Over About Around Nearly Almost At Least Up Between Security Police Doctors Activists Protesters " +
    "Residents Mourners Families Survivors Witnesses Officials Authorities Rallies Protests Video Image Photo Share " +
    "Related Read Tags Copyright Advertisement Coronavirus Covid COVID-19 Executions Amnesty International Reuters " +
    "AP AFP Associated Press Ministry Minister Government President Mr Mrs Ms Dr Ayatollah General Imam Sheikh " +
    "Supreme Leader Parliament Judiciary Interior Health Human Rights Watch News Agency Television Radio Times Post " +
    "Network Group Council Committee Party Front Army Guards Corps Revolutionary Islamic Republic Regime State UN " +
    "United Nations European Union EU Internet Twitter Facebook Instagram Telegram WhatsApp YouTube Image: Photo: " +
    "Video: Update Breaking Exclusive Analysis Opinion Editorial Report Statement Source Sources Note Also Meanwhile " +
    "However Still Yet Even Only Just Both Each Every Another Other Such Local National Official Independent Iranian " +
    "Iraqi Afghan Kurdish Baluch Arab Persian Azeri Turkish Turkmen Sunni Shia Shiite Muslim Christian Jewish Baha'i " +
    "Day Night Week Month " +
    "Year Friday's Saturday's Sunday's Monday's Tuesday's Wednesday's Thursday's Mother Father Brother Sister Son " +
    "Daughter Wife Husband Children Women Men Students Workers Pensioners Teachers Nurses Retirees Farmers Truckers " +
    "Bazaar Square Street Avenue Road University Prison Hospital Cemetery Mosque Stadium"
  )
    .split(/\s+/)
    .map((w) => w.toLowerCase()),
);

/** Nouns after a capitalised run that make it an organisation or a facility, not a place. */
export const ORG_WORD =
  /^(?:University|Times|Post|Journal|Daily|Party|Company|Co|Corp|Agency|Ministry|Organi[sz]ation|Council|International|Rights|Watch|Network|News|Press|Television|TV|Radio|Club|Group|Committee|Foundation|Institute|Center|Centre|Association|Union|Front|Army|Guards?|Corps|Court|Prison|Hospital|Airport|Airways|Air|Bank|Square|Street|Avenue|Road|Bazaar|Mosque|Stadium|Cemetery|Refinery|Industries|Steel|Tractor|Petrochemical|Oil|Gas|Movement|Brigades?|Battalion|Force|Forces|Police|Monitor|Observatory|Ledger|Voices|Tribune|Herald|Gazette|Review|Magazine|Online|Live|Media|Broadcasting|Service|Services|Office|Department|Directorate|Commission|Assembly|Board|Authority|Administration|Red|Crescent|Cross)$/;

/** Nouns after a capitalised word that make it an attribute of a facility ("Ghezel Hesar prison", "Tehran University"). */
export const FACILITY_AFTER =
  /^\s+(?:prison|jail|university|hospital|cemetery|mosque|square|street|avenue|road|bazaar|airport|stadium|refinery|factory|plant|company|mall|park|highway|bridge|dam|station|court|shrine|seminary|school|campus|barracks|base|camp|detention cent(?:er|re)|intelligence|police|ministry|rights|news|times|daily|network|group|party|council|tribe|dialect|language|people|women|men|activists?|prisoners?)\b/i;

/** Words after a place name that qualify it without changing the mention ("Tehran province"). */
export const PLACE_QUALIFIER_AFTER =
  /^\s+(province|county|city|district|region|governorate|state|village|town)\b/i;

/** Titles before a name that make the capitalised words after them a person. */
export const PERSON_TITLE_BEFORE =
  /\b(?:Mr|Mrs|Ms|Dr|Prof|President|Minister|Ayatollah|General|Gen|Imam|Sheikh|Judge|Prosecutor|Governor|Mayor|Commander|Colonel|Col|Captain|Lt|Sgt|Sen|Rep|Rev|Father|Sister|Brother|Ms\.|Mr\.|Mrs\.|Dr\.|named|Hojatoleslam|Mullah|Mawlawi|Molavi|Sardar|actor|actress|singer|rapper|journalist|activist|lawyer|dissident|student|teacher|worker|wrestler|athlete|footballer|poet|writer|blogger|cleric|prisoner)\.?\s+$/i;

/** Demonyms and adjectives of places: "a Baluch rights group", "Kurdish towns". */
export const DEMONYM =
  /^(?:[A-Z][a-z]+(?:ians?|ish|ese|ans)|Baluch|Baluchi|Baloch|Kurd|Arab|Turkmen|Lor|Lur|Azeri|Gilak|Iraqi|Afghan|Pakistani|Israeli|Saudi|Emirati|Yemeni|Kuwaiti|Qatari|Omani|Bahraini|Somali|Tajik|Uzbek|Pashtun|Hazara|Shia|Sunni|Bahai|Baha'i)$/;
