/**
 * The estimates panel's words in English and Persian. They live here, not in the dashboard's message table, so
 * the panel can be added without touching it; the Persian table is typed by the English keys, so a missing
 * key fails the build.
 */
import type { Lang } from "../i18n/index.js";

const en = {
  nav: "Estimates",
  title: "How many victims did no list record?",
  lead: "Several organisations keep lists of named victims. Tally links the records that describe the same person, counts the people documented, and estimates from how much the lists overlap how many victims none of them recorded.",
  documentedHeading: "Documented",
  documentedText:
    "people are named on the lists, after linking the records that describe the same person ({records} records in all).",
  estimateHeading: "Estimated total",
  estimateBadge: "estimate, not a count",
  interval: "95 % interval: {low} to {high}",
  noUpper: "no upper limit",
  unseen: "By this estimate, about {n} victims are on no list.",
  model: "Model: {name}",
  noFinite: "The lists do not overlap enough: this model gives no finite estimate.",
  listsHeading: "Lists that contributed",
  assumptionsHeading: "What the estimate assumes",
  assumesTwo:
    "This estimate assumes that both lists cover the same victims of the same events and period, that the two lists recorded people independently of each other, and that every victim had the same chance of being recorded; with only two lists these assumptions cannot be checked, and if they fail the true total can lie outside the interval.",
  assumesIndependent:
    "This estimate assumes that all the lists cover the same victims of the same events and period, that the lists recorded people independently of each other, and that every victim had the same chance of being recorded; if these assumptions fail the true total can lie outside the interval.",
  assumesDependent:
    "This estimate assumes that all the lists cover the same victims of the same events and period, that the model accounts for the lists that tend to record the same people ({pairs}), and that every victim had the same chance of being recorded; if these assumptions fail the true total can lie outside the interval.",
  readInterval:
    "The documented count is a fact; the estimate is a statistical inference. The interval does not cover linkage errors or the assumptions failing.",
  noEstimateHeading: "No estimate yet",
  noEstimate: "An estimate needs at least two linked lists.",
  notesHeading: "Notes",
  linkedAt: "Lists last linked on {date}.",
  method: "How this is estimated",
};

export type EstimateMessageKey = keyof typeof en;

const fa: Record<EstimateMessageKey, string> = {
  nav: "برآوردها",
  title: "چند قربانی در هیچ فهرستی ثبت نشده‌اند؟",
  lead: "چند سازمان فهرست‌هایی از نام قربانیان نگه می‌دارند. تالی سوابقی را که به یک فرد مربوط‌اند به هم پیوند می‌دهد، افراد مستندشده را می‌شمارد و از میزان هم‌پوشانی فهرست‌ها برآورد می‌کند که چند قربانی در هیچ‌یک از آن‌ها ثبت نشده‌اند.",
  documentedHeading: "مستندشده",
  documentedText:
    "نفر، پس از پیوند سوابق مربوط به یک فرد، در فهرست‌ها نام برده شده‌اند (در مجموع {records} سابقه).",
  estimateHeading: "مجموع برآوردشده",
  estimateBadge: "برآورد است، نه شمارش",
  interval: "بازه‌ی ۹۵ درصد: از {low} تا {high}",
  noUpper: "بدون حد بالا",
  unseen: "بنا بر این برآورد، حدود {n} قربانی در هیچ فهرستی نیستند.",
  model: "مدل: {name}",
  noFinite: "هم‌پوشانی فهرست‌ها کافی نیست: این مدل برآورد متناهی به دست نمی‌دهد.",
  listsHeading: "فهرست‌هایی که در برآورد به کار رفته‌اند",
  assumptionsHeading: "فرض‌های این برآورد",
  assumesTwo:
    "این برآورد فرض می‌کند که هر دو فهرست قربانیان همان رویدادها و همان دوره را در بر می‌گیرند، که دو فهرست افراد را مستقل از یکدیگر ثبت کرده‌اند، و که همه‌ی قربانیان شانس برابری برای ثبت‌شدن داشته‌اند؛ با تنها دو فهرست نمی‌توان این فرض‌ها را سنجید، و اگر برقرار نباشند مجموع واقعی ممکن است بیرون از بازه باشد.",
  assumesIndependent:
    "این برآورد فرض می‌کند که همه‌ی فهرست‌ها قربانیان همان رویدادها و همان دوره را در بر می‌گیرند، که فهرست‌ها افراد را مستقل از یکدیگر ثبت کرده‌اند، و که همه‌ی قربانیان شانس برابری برای ثبت‌شدن داشته‌اند؛ اگر این فرض‌ها برقرار نباشند مجموع واقعی ممکن است بیرون از بازه باشد.",
  assumesDependent:
    "این برآورد فرض می‌کند که همه‌ی فهرست‌ها قربانیان همان رویدادها و همان دوره را در بر می‌گیرند، که مدل وابستگی فهرست‌هایی را که افراد یکسانی را ثبت می‌کنند ({pairs}) در نظر گرفته است، و که همه‌ی قربانیان شانس برابری برای ثبت‌شدن داشته‌اند؛ اگر این فرض‌ها برقرار نباشند مجموع واقعی ممکن است بیرون از بازه باشد.",
  readInterval:
    "شمار مستندشده یک واقعیت است؛ برآورد یک استنباط آماری است. این بازه خطاهای پیوند سوابق یا نادرستی فرض‌ها را در بر نمی‌گیرد.",
  noEstimateHeading: "هنوز برآوردی در دست نیست",
  noEstimate: "برای برآورد دست‌کم دو فهرست پیوندیافته لازم است.",
  notesHeading: "یادداشت‌ها",
  linkedAt: "آخرین پیوند فهرست‌ها: {date}.",
  method: "روش برآورد",
};

const MESSAGES: Record<Lang, Record<EstimateMessageKey, string>> = { en, fa };

/** A message in the language, with {name} placeholders filled in. */
export function estimateText(
  lang: Lang,
  key: EstimateMessageKey,
  vars: Record<string, string | number> = {},
): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}
