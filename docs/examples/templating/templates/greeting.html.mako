<!DOCTYPE html>
<html>
  <body>
    <h1>Hello, ${name}!</h1>
    <p>You asked for ${request.url.path}; the home page is <a href="${url_for('home')}">here</a>.</p>
  </body>
</html>
