/**
 * The kind and the printed name of a source, read from the words that name it: well-known bodies by name, then
 * descriptors ("rights group", "ministry", "news agency", "a nurse"), then the shape of the name.
 */
import type { SourceKind } from "../core/vocabulary.js";

/** Descriptors after a proper name that are not part of the name ("Nightwatch field network"). */
const DESCRIPTOR_AFTER =
  /^(.+?)\s+(?:field\s+network|network|rights\s+group|human\s+rights\s+group|group|news\s+agency)$/;
/** Descriptors before a proper name ("the rights group Justice Ledger"). */
const DESCRIPTOR_BEFORE =
  /^(?:(?:[Tt]he|[Aa]n?)\s+)?(?:(?:[A-Za-z][a-z-]*|[A-Z][\p{L}]*-based)\s+){0,3}(?:group|network|organi[sz]ation|agency|monitor|ngo|watchdog|daily|newspaper|outlet|website|channel|broadcaster|centre|center)\s+([A-Z][\p{L}'’.-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\p{L}'’.-]*)*)$/u;

/**
 * Well-known bodies of this field by name, checked first: a name alone ("Hengaw said") carries no descriptor to
 * read the kind from. General knowledge of the field, not a list of the corpus's sources.
 */
const KNOWN: ReadonlyArray<readonly [RegExp, SourceKind]> = [
  [
    /\b(?:Hengaw|HRANA|Human Rights Activists News Agency|Iran Human Rights|IHRNGO|Kurdistan Human Rights Network|KHRN|Kurdpa|Haalvsh|Baloch Activists Campaign|CHRI|Center for Human Rights in Iran|Boroumand|Justice for Iran|Human Rights Watch|HRW|Amnesty|Reporters Without Borders|RSF|CPJ|Committee to Protect Journalists|Article 19|Viasna|OVD-Info|SOHR|Syrian Observatory|SNHR|Syrian Network for Human Rights|AAPP|Assistance Association for Political Prisoners|MSF|Médecins Sans Frontières|Doctors Without Borders|Red Crescent|ICRC|Red Cross)\b/,
    "ngo",
  ],
  [
    /\b(?:BBC|CNN|Al Jazeera|Iran International|Radio Farda|IranWire|Radio Free Europe|RFE\/RL|Voice of America|VOA|Deutsche Welle|DW|Guardian|New York Times|Washington Post|Financial Times|Wall Street Journal|Tasnim|Fars news agency|Fars News|Mehr|ISNA|IRNA|ILNA|IRIB|Press TV|Kayhan|Etemad|Shargh|Hamshahri|Tehran Times|state (?:media|television|TV|broadcaster|news agency)|semi-official)\b/,
    "media",
  ],
  [
    /\b(?:PMOI|MEK|Mojahedin|NCRI|National Council of Resistance|Komala|PJAK|KDPI|Democratic Party of Iranian Kurdistan|Jaish al-Adl|Muslim Brotherhood|Hamas|Hezbollah|Houthis?|Taliban)\b/,
    "group",
  ],
  [/\b(?:IRGC|Revolutionary Guards?|Basij|Quds Force)\b/, "official"],
];

const KIND_RULES: ReadonlyArray<readonly [RegExp, SourceKind]> = [
  ...KNOWN,
  [
    /\b(?:Reuters|Associated Press|AP|AFP|Agence France-Presse|dpa|Deutsche Presse-Agentur|UPI|EFE|ANSA|Kyodo|Xinhua|Anadolu|wire service)\b/,
    "wire",
  ],
  [
    /^(?:one|some|two|three|several) of (?:the|its|their)\b|^(?:a|an)\s+(?:local\s+)?(?:nurse|doctor|physician|resident|witness|relative|mother|father|brother|sister|cleric|lawyer|teacher|student|worker|man|woman|survivor|medic|surgeon|eyewitness|villager|journalist|reporter|activist|protester|detainee|prisoner)\b/i,
    "individual",
  ],
  [
    /\b(?:UN|United Nations|UNICEF|WHO|World Health Organi[sz]ation|OHCHR|special rapporteur|European Union|EU)\b/,
    "other",
  ],
  // Hospital and medical sources, families and survivors speak for no body and are not one person.
  [
    /^(?:(?:the|their|his|her|an?|local)\s+)?(?:families|relatives|survivors|(?:hospital|medical|morgue)\s+(?:sources?|staff|workers|officials?|director|doctors?|employees)|health\s+(?:sources?|workers)|doctors|medics|morgue staff)\b/i,
    "other",
  ],
  [/\bnetwork\b|\bcorrespondents\b|\bresistance units\b/i, "network"],
  [
    /\b(?:workers'|retirees'|women's|students'|teachers'|pensioners'|farmers'|opposition|party|platform|coordinating|organi[sz]ing|community|organi[sz]ers|resistance|militia|armed group|rebels?|insurgents?)\b/i,
    "group",
  ],
  [
    /\b(?:university of medical sciences|medical university|medical sciences|task force|headquarters|governor|ministry|minister)\b/i,
    "official",
  ],
  [
    /\b(?:rights|amnesty|watch|observatory|monitor|monitoring|ngo|charity|red crescent|red cross|foundation|human rights|watchdog|justice|advocacy|campaign for|centre for|center for|association|union|syndicate|lawyers'?|aid group|aid agency|relief|coalition)\b/i,
    "ngo",
  ],
  [
    /\b(?:ministry|minister|government|governor|governorate|officials?|authorities|judiciary|police|prosecutor|municipality|mayor|council|parliament|parliamentary|lawmakers?|mps?|president|presidency|army|military|irgc|revolutionary guards?|coroner|forensic|health department|provincial|interior|cabinet|junta|administration|embassy|state department|spokes(?:man|woman|person) for the (?:government|judiciary|ministry)|judiciary spokes\w+|security council|medical examiner|legal medicine|prison organi[sz]ation|state media|regime)\b/i,
    "official",
  ],
  [
    /\b(?:newspaper|daily|television|tv|radio|news agency|agency|channel|website|outlet|bbc|cnn|times|post|journal|magazine|irna|isna|tasnim|fars news|mehr|ilna|broadcaster|reporters?|journalists?|press|media)\b/i,
    "media",
  ],
  [
    /\b(?:protesters|demonstrators|mourners|crowds?|organi[sz]ers|opposition|party|movement|union|students|workers|strikers|rebels|militants|pmoi|mek|ncri|taliban|marchers|pensioners|chant\w*)\b/i,
    "group",
  ],
  [
    /\b(?:residents|witnesses|nurse|doctor|physician|cleric|lawyer|teacher|survivor|man|woman|mother|father|brother|sister|eyewitness|eyewitnesses|villagers|activists)\b/i,
    "individual",
  ],
];

export function kindOf(name: string, extra = ""): SourceKind {
  for (const [re, kind] of KIND_RULES) if (re.test(name)) return kind;
  if (extra) for (const [re, kind] of KIND_RULES) if (re.test(extra)) return kind;
  // "a driver at the cemetery": one unnamed person.
  if (
    /^(?:a|an|one)\s+(?:[a-z-]+\s+)?[a-z]+(?:\s|$)/.test(name) &&
    !/\b(?:group|agency|body|organi[sz]ation|outlet|committee|council)\b/i.test(name)
  )
    return "individual";
  // A person's name: two or three capitalised words.
  if (
    /^[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+){1,2}$/.test(name) &&
    !/\b(?:International|Times|News|Post|Wire|Press|Agency|Network|Radio|TV|Television|Watch|Rights|Monitor|Observatory|Ledger|Group|Council|Committee|Centre|Center|Foundation|Institute|Association|Union|Party|Front|Movement|Campaign|Coalition|Daily|Journal|Herald|Tribune|Voice|Voices|Media|Online|Report|Review)\b/.test(
      name,
    )
  )
    return "individual";
  return "other";
}

/** The printed name: the proper name when a descriptor surrounds it, else the phrase without its article. */
export function displayName(np: string): string {
  const bare = np.replace(/^(?:the|a|an)\s+/i, "");
  const before = DESCRIPTOR_BEFORE.exec(np);
  if (before?.[1]) return before[1];
  const after = DESCRIPTOR_AFTER.exec(bare);
  if (
    after?.[1] &&
    /^[A-Z][\p{L}'’-]*(?:\s+[A-Z][\p{L}'’-]*)*$/u.test(after[1]) &&
    !/^(?:[A-Z][a-z]+(?:ian|ish|ese|i)|Baluch|Kurd|Arab)$/.test(after[1])
  )
    return after[1];
  return bare;
}
