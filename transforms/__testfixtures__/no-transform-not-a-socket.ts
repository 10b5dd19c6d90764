const db = { connect: (url: string) => ({ url }) };

export const handle = db.connect('postgres://localhost/app');
