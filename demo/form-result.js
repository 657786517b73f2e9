// Lists the fields a GET form submitted to this page (form.html), from the query string.
const params = new URLSearchParams(location.search);
const body = document.getElementById('fields');
for (const [name, value] of params) {
  const row = body.insertRow();
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = name;
  row.append(th);
  row.insertCell().textContent = value === '' ? '(empty)' : value;
}
if (!body.rows.length) body.insertRow().insertCell().textContent = 'Nothing was submitted.';
document.getElementById('query').textContent = location.search || '(empty)';
