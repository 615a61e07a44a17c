//! GitHub Actions workflow commands (`::error file=F,line=N,col=C,title=T::message`), so
//! that `check --format github` in a pull request's workflow puts each problem on the
//! line of the diff it is about. Escaping follows the runner's rules: `%`, CR and LF in
//! the message; those and `:` and `,` in a property.

use crate::model::escape_text;
use crate::store::Problem;

/// The annotation line of one problem at `level` (`error`, `warning` or `notice`).
pub fn annotation(level: &str, p: &Problem) -> String {
    let mut message = escape_text(&p.message).into_owned();
    if let Some(h) = &p.hint {
        message.push_str("\nhint: ");
        message.push_str(&escape_text(h));
    }
    format!(
        "::{level} file={},line={},col={},title={}::{}",
        property(&p.path.to_string_lossy()),
        p.line,
        p.col,
        property("docket check"),
        data(&message)
    )
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_would_split_on() {
        let p = Problem::at("support/a,b:c.md", 7, "100% wrong\nreally").hint("fix: it");
        assert_eq!(
            annotation("error", &p),
            "::error file=support/a%2Cb%3Ac.md,line=7,col=1,title=docket check::100%25 wrong%0Areally%0Ahint: fix: it"
        );
    }
}
