use super::*;

#[test]
fn literal_texts_are_text_nodes_and_attribute_values_without_tera_code() {
    let t = "<nav aria-label=\"Main  menu\"><a href=\"{{ base }}\">Home</a>{# Safe #}\n\
             <p>{{ page.title | safe }} Last\n verified {% if x %}{{ y }}{% endif %}</p>";
    let texts = literal_texts(t);
    for want in ["main menu", "home", "last verified"] {
        assert!(texts.iter().any(|w| w == want), "{want} not in {texts:?}");
    }
    assert!(!texts.iter().any(|w| w.contains("safe")), "{texts:?}");
    assert!(!texts.iter().any(|w| w.contains("page.title")), "{texts:?}");
}

#[test]
fn theme_words_leave_out_templates_the_site_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let config =
        Config::parse(tmp.path(), "title = \"T\"\nbase_url = \"https://x.org\"\n").unwrap();
    assert!(
        theme_words(&config)
            .binary_search(&"brands".to_string())
            .is_ok()
    );
    // Overriding every built-in template leaves no built-in words.
    std::fs::create_dir(tmp.path().join("templates")).unwrap();
    for name in TEMPLATES {
        std::fs::write(tmp.path().join("templates").join(name), "x").unwrap();
    }
    assert_eq!(theme_words(&config), Vec::<String>::new());
}

#[test]
fn tera_code_is_safe_to_minify_only_in_text_and_quoted_values() {
    for safe in [
        "<p>{{ a }}</p>",
        "<a href=\"{{ url }}\" class='{% if x %}on{% endif %}'>{{ t }}</a>",
        "{# <a {{ x }}> #}<ul>{% for i in xs %}<li>{{ i }}</li>{% endfor %}</ul>",
        "<style>p{color:red}</style><p>{{ a }}</p>",
    ] {
        assert!(tera_only_in_text_or_values(safe), "{safe}");
    }
    for unsafe_ in [
        "<a href=\"/\"{% if x %} aria-current=\"page\"{% endif %}>x</a>",
        "<input {{ attrs }}>",
        "<!-- {% block x %}{% endblock x %} -->",
        "<p>{{ a }}</p><style>p{color:{{ c }}}</style>",
        "<script>let x = \"{{ x }}\";</script>",
        "<p>{{ unclosed </p>",
    ] {
        assert!(!tera_only_in_text_or_values(unsafe_), "{unsafe_}");
        assert_eq!(minify_template(unsafe_), None, "{unsafe_}");
    }
}

#[test]
fn minified_templates_keep_their_tera_code_and_quotes() {
    let t = "<ul class=\"x\">\n  {% for g in guides %}\n  <li><a href=\"{{ g.url }}\">{{ g.title }}</a></li>\n  {% endfor %}\n</ul>\n";
    let m = minify_template(t).unwrap();
    assert!(m.len() < t.len(), "{m}");
    assert!(m.contains("{% for g in guides %}"), "{m}");
    assert!(m.contains("href=\"{{ g.url }}\""), "{m}");
}

#[test]
fn the_builtin_stylesheet_is_minified_once_with_minify() {
    let tmp = tempfile::tempdir().unwrap();
    let on = Config::parse(tmp.path(), "title = \"T\"\nbase_url = \"https://x.org\"\n").unwrap();
    let off = Config::parse(
        tmp.path(),
        "title = \"T\"\nbase_url = \"https://x.org\"\nminify = false\n",
    )
    .unwrap();
    let css = |c: &Config| match static_files(c).iter().find(|f| f.rel_path == "style.css") {
        Some(Copy {
            source: CopySource::Embedded(b),
            ..
        }) => b.len(),
        _ => 0,
    };
    assert!(
        css(&on) > 0 && css(&on) < css(&off),
        "{} {}",
        css(&on),
        css(&off)
    );
}
