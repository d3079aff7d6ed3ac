/** The public /estimates page: the dashboard's frame around the estimates panel. */

import { useJson } from "../dashboard/data.js";
import { Busy, Failed, Layout } from "../dashboard/Layout.js";
import { useI18n } from "../i18n/index.js";
import { EstimatesPanel } from "./EstimatesPanel.js";
import { estimateText } from "./messages.js";
import { ESTIMATES_URL, type EstimatesAnswer } from "./types.js";

export default function EstimatesPage() {
  const i18n = useI18n();
  const { data, error } = useJson<EstimatesAnswer>(ESTIMATES_URL);
  return (
    <Layout i18n={i18n}>
      <h1>{estimateText(i18n.lang, "title")}</h1>
      <p className="lead">{estimateText(i18n.lang, "lead")}</p>
      {/* A 409 (lists imported but not linked yet) arrives here with the server's explanation. */}
      {error ? <Failed i18n={i18n} error={error} /> : null}
      {!data && !error ? <Busy i18n={i18n} /> : null}
      {data ? <EstimatesPanel data={data} i18n={i18n} /> : null}
    </Layout>
  );
}
