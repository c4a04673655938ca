//! Broken template overrides: the error names the template file as a path
//! from the site root, with the line of the problem, and the output survives.

use crate::{Run, site};

/// Adds `tests/bad_cases/files/<name>` as the template `dest` of a built `base` site.
#[track_caller]
fn rejects_template(dest: &str, name: &str) -> Run {
    site("base").assert_breaks(|s| s.add(dest, name))
}

/// The first error's (path, line).
fn first_error_at(run: &Run) -> (String, usize) {
    let errors = run.errors();
    assert!(!errors.is_empty(), "no error\n--- stderr:\n{}", run.stderr);
    let (path, line, _) = crate::split_location(crate::location_of(errors[0]).unwrap());
    (path.to_string(), line)
}

#[test]
fn template_syntax_error_names_the_file_and_line() {
    // `{{ page.title </h1>` on line 3.
    let run = rejects_template("templates/page.html", "template-syntax-error.html");
    assert_eq!(
        first_error_at(&run),
        ("templates/page.html".to_string(), 3),
        "\n--- stderr:\n{}",
        run.stderr
    );
}

#[test]
fn include_of_a_missing_template_names_the_including_file_and_line() {
    // `{% include "nope.html" %}` on line 4.
    let run = rejects_template("templates/page.html", "template-missing-include.html");
    run.assert_mentions("nope.html");
    assert_eq!(
        first_error_at(&run),
        ("templates/page.html".to_string(), 4),
        "\n--- stderr:\n{}",
        run.stderr
    );
}

#[test]
fn undefined_field_names_the_file_and_line() {
    // `{{ page.no_such_field.deeper }}` on line 4, reported when rendering.
    let run = rejects_template("templates/page.html", "template-undefined-field.html");
    run.assert_mentions("no_such_field");
    assert_eq!(
        first_error_at(&run),
        ("templates/page.html".to_string(), 4),
        "\n--- stderr:\n{}",
        run.stderr
    );
}

#[test]
fn error_in_a_theme_template_names_the_theme_file() {
    // The override lives in themes/default/templates/, not templates/.
    let run = rejects_template(
        "themes/default/templates/page.html",
        "template-undefined-field.html",
    );
    assert_eq!(
        first_error_at(&run),
        ("themes/default/templates/page.html".to_string(), 4),
        "\n--- stderr:\n{}",
        run.stderr
    );
}

#[test]
fn circular_include_is_an_error_not_a_hang() {
    let run = rejects_template("templates/page.html", "template-circular-include.html");
    run.assert_mentions("page.html");
    assert_eq!(
        first_error_at(&run).0,
        "templates/page.html",
        "\n--- stderr:\n{}",
        run.stderr
    );
}

#[test]
fn template_that_is_not_utf8_is_an_error_naming_it() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "templates/page.html",
            b"{% extends \"base.html\" %}{% block main %}caf\xe9{% endblock main %}",
        )
    });
    assert_eq!(
        first_error_at(&run).0,
        "templates/page.html",
        "{}",
        run.stderr
    );
}
