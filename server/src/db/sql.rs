//! Statements built at run time (a variable number of filters or search words): the text with
//! `$1, $2, …` placeholders, which both SQLite and PostgreSQL read, and the values to bind.

/// A value to bind.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Int(i64),
    Text(String),
}

/// SQL text and its arguments, built together so placeholders and values never drift apart.
#[derive(Clone, Debug, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Adds a placeholder for `arg` and returns its number.
    pub fn bind(&mut self, arg: Arg) -> usize {
        self.args.push(arg);
        let n = self.args.len();
        self.text.push('$');
        self.text.push_str(&n.to_string());
        n
    }

    pub fn bind_int(&mut self, value: i64) -> &mut Self {
        self.bind(Arg::Int(value));
        self
    }

    pub fn bind_text(&mut self, value: &str) -> &mut Self {
        self.bind(Arg::Text(value.to_string()));
        self
    }

    /// `(…, …)` of placeholders for a non-empty list of text values.
    pub fn bind_list<'a>(&mut self, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.text.push('(');
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(Arg::Text(value.to_string()));
        }
        self.text.push(')');
        self
    }
}

/// `sqlx::query` of a [`Sql`], with its arguments bound (inside `with_reader!`/`with_writer!`).
#[macro_export]
macro_rules! built_query {
    ($sql:expr) => {{
        let sql: &$crate::db::sql::Sql = &$sql;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.text.clone()));
        for arg in &sql.args {
            query = match arg {
                $crate::db::sql::Arg::Int(v) => query.bind(*v),
                $crate::db::sql::Arg::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_arguments() {
        let mut sql = Sql::new("SELECT 1 FROM t WHERE a = ");
        sql.bind_int(7);
        sql.push(" AND b IN ").bind_list(["x", "y"]);
        assert_eq!(sql.text, "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(
            sql.args,
            vec![Arg::Int(7), Arg::Text("x".into()), Arg::Text("y".into())]
        );
    }
}
