/** The start page: sends signed-in people to their work; the public dashboard (issue 6) will live here. */
import { useEffect } from "react";
import { Link, navigate } from "../app/router.js";
import { landingFor, useSession } from "../lib/session.js";

export default function Home() {
  const { me } = useSession();
  useEffect(() => {
    if (me?.signedIn) navigate(landingFor(me), { replace: true });
  }, [me]);
  return (
    <>
      <h1>Tally</h1>
      <p>
        Tally documents incidents reported by field networks and the press, counts them by place and time, and
        sets the documented counts beside the figures others claim.
      </p>
      <p>
        Reporters and reviewers: <Link href="/sign-in">sign in</Link>. Open data and the API:{" "}
        <a href="/api/v1/meta">/api/v1</a>.
      </p>
    </>
  );
}
