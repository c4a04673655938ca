//! The one page an encrypted build shows in clear, `index.html`: the site's
//! title, a passphrase form, and the scripts that decrypt (`crypt.js`, the
//! theme's) with the key file. Nothing of any page: no title, brand,
//! location or count.

use crate::render::xml_escape;

/// The shell's words besides the site's title (the ciphertext audit drops
/// needles these hold, as it does the theme's words).
pub const FIXED_TEXT: &str = "This handbook is encrypted. Enter your passphrase to read the pages it opens. \
Passphrase Remember on this device: anyone using this browser profile can read the handbook until Lock is pressed. \
Unlock JavaScript is needed to decrypt this handbook, in a browser that allows WebCrypto: over https or from a file, not plain http.";

/// The shell page of a site titled `title` in `language`.
pub fn page(title: &str, language: &str) -> String {
    let title = xml_escape(title);
    let lang = xml_escape(language);
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main id="lockgen-lock" class="crypt-lock">
<h1>{title}</h1>
<p>This handbook is encrypted. Enter your passphrase to read the pages it opens.</p>
<form id="lockgen-unlock" hidden>
<p><label for="lockgen-passphrase">Passphrase</label>
<input type="password" id="lockgen-passphrase" autocomplete="current-password" required></p>
<p><label><input type="checkbox" id="lockgen-remember"> Remember on this device: anyone using this browser profile can read the handbook until Lock is pressed.</label></p>
<p><button type="submit">Unlock</button></p>
<p id="lockgen-error" role="alert" hidden></p>
</form>
<noscript><p>JavaScript is needed to decrypt this handbook, in a browser that allows WebCrypto: over https or from a file, not plain http.</p></noscript>
</main>
<script src="crypt.js"></script>
<script src="crypt/keys.js"></script>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_escapes_the_title_and_says_noindex() {
        let p = page("A <b> & B", "en");
        assert!(p.contains("<title>A &lt;b&gt; &amp; B</title>"), "{p}");
        assert!(p.contains(r#"content="noindex, nofollow""#));
    }
}
